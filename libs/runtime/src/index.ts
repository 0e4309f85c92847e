// Running managed apps (DESIGN §5): their manifest and discovery, the process driver and port leases, shared
// by the app-manager and the ui-manager.
export * from './manifest';
export * from './discovery';
export * from './process';
export * from './ports';
export * from './supervisor';
