export * from './health.module';
export * from './health.service';
export * from './request-context';
export * from './run-service';
