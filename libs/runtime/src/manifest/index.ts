export { APP_ID_PATTERN, ENV_KEY_PATTERN, MANIFEST_LIMITS, manifestSchema, RESERVED_ENV_KEYS } from './manifest.schema';
export type { AppManifest } from './manifest.schema';
export { validateManifest } from './validate-manifest';
export type { ManifestResult } from './validate-manifest';
export { MANIFEST_FILE, readManifest } from './read-manifest';
export type { ManifestFile } from './read-manifest';
