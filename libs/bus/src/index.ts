export * from './bus.module';
export * from './channels';
export * from './event-bus';
export * from './redis-options';
export * from './request-context';
export * from './rpc-client';
export * from './rpc-server';
export * from './service-error';
