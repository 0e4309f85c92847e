export * from './health.module';
export * from './health.service';
export * from './run-service';
