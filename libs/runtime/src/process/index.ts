// The process driver: the only code that starts and stops managed apps' processes (child_process).
export * from './proc-stat';
export * from './process-group';
export * from './rotating-log';
export * from './start-process';
