export * from './free-ports';
export * from './service-processes';
export * from './socket-client';
export * from './test-database';
export * from './test-redis';
export * from './event-stream-client';
export * from './foreign-listener';
export * from './gateway-fetch';
