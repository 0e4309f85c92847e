import { DiscoveredApp } from './scan-apps-dir';

export interface ValidApp extends DiscoveredApp {
  result: Extract<DiscoveredApp['result'], { ok: true }>;
  fingerprint: string;
}

export interface RegistryDiff {
  /** Valid apps whose id was not known before. */
  added: ValidApp[];
  /** Valid apps whose manifest (or folder) changed since the previous scan. */
  changed: ValidApp[];
  /** Known ids no valid manifest claims any more: the folder is gone, or its manifest turned invalid or disputed. */
  removed: string[];
}

/**
 * What the app manager must act on after a scan, given the fingerprint it holds for each known id. Only valid
 * apps count as present; an invalid manifest is listed by the scan with its reasons but never runs.
 */
export function diffRegistry(previous: ReadonlyMap<string, string>, scanned: readonly DiscoveredApp[]): RegistryDiff {
  const valid = scanned.filter(isValid);
  const present = new Set(valid.map((app) => app.result.manifest.id));
  const added: ValidApp[] = [];
  const changed: ValidApp[] = [];
  for (const app of valid) {
    const known = previous.get(app.result.manifest.id);
    if (known === undefined) added.push(app);
    else if (known !== app.fingerprint) changed.push(app);
  }
  const removed = [...previous.keys()].filter((id) => !present.has(id)).sort();
  return { added, changed, removed };
}

export function isValid(app: DiscoveredApp): app is ValidApp {
  return app.result.ok && app.fingerprint !== undefined;
}
