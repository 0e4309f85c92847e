// The process driver: the only code that starts and stops managed apps' processes (child_process), and the
// files their output goes to.
export * from './follow-log';
export * from './log-file';
export * from './proc-stat';
export * from './process-group';
export * from './rotate-log';
export * from './start-process';
export * from './tail-log';
