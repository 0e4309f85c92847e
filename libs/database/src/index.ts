export * from './data-source';
export * from './database.module';
export * from './migrations';
export * from './event-outbox';
export * from './event-outbox.module';
export * from './outbox-table';
