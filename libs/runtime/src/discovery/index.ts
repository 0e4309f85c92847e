export { scanAppsDir } from './scan-apps-dir';
export type { DiscoveredApp } from './scan-apps-dir';
export { diffRegistry, isValid } from './diff-registry';
export type { RegistryDiff, ValidApp } from './diff-registry';
