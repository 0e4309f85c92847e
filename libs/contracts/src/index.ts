export * from './errors';
export * from './events';
export * from './rpc';
export * from './services';
export * from './time-zone';
export * from './habits';
export * from './habit-data';
export * from './apps';
