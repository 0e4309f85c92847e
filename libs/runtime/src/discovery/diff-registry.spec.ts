import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { diffRegistry, isValid } from './diff-registry';
import { DiscoveredApp, scanAppsDir } from './scan-apps-dir';

describe('diffRegistry', () => {
  let appsDir: string;
  beforeEach(() => (appsDir = mkdtempSync(path.join(tmpdir(), 'hh-diff-'))));
  afterEach(() => rmSync(appsDir, { recursive: true, force: true }));

  const app = (folder: string, id: string, extra: object = {}) => {
    mkdirSync(path.join(appsDir, folder), { recursive: true });
    const manifest = { id, name: id, version: '1.0.0', type: 'service', command: ['node', '-e', '0'], ...extra };
    writeFileSync(path.join(appsDir, folder, 'homehelper.json'), JSON.stringify(manifest));
  };
  const registryOf = (apps: DiscoveredApp[]) => new Map(apps.filter(isValid).map((found) => [found.result.manifest.id, found.fingerprint]));
  const ids = (apps: DiscoveredApp[]) => apps.map((found) => (found.result.ok ? found.result.manifest.id : found.folder));

  it('finds every app added on the first scan', () => {
    app('a', 'alpha');
    app('b', 'beta');
    const diff = diffRegistry(new Map(), scanAppsDir(appsDir));
    expect({ added: ids(diff.added), changed: ids(diff.changed), removed: diff.removed }).toEqual({ added: ['alpha', 'beta'], changed: [], removed: [] });
  });

  it('tells added, changed and removed apps apart, and leaves unchanged ones out', () => {
    app('a', 'alpha');
    app('b', 'beta');
    app('c', 'gamma');
    app('d', 'delta');
    const registry = registryOf(scanAppsDir(appsDir));

    app('b', 'beta', { env: { UNITS: 'metric' } }); // changed
    rmSync(path.join(appsDir, 'c'), { recursive: true }); // removed
    app('d', 'delta', { port: 80 }); // now invalid: must stop
    app('e', 'epsilon'); // added
    const diff = diffRegistry(registry, scanAppsDir(appsDir));
    expect({ added: ids(diff.added), changed: ids(diff.changed), removed: diff.removed }).toEqual({
      added: ['epsilon'],
      changed: ['beta'],
      removed: ['delta', 'gamma'],
    });
  });

  it('counts an app moved to another folder with the same manifest as changed', () => {
    app('old-home', 'alpha');
    const registry = registryOf(scanAppsDir(appsDir));
    renameSync(path.join(appsDir, 'old-home'), path.join(appsDir, 'new-home'));
    const diff = diffRegistry(registry, scanAppsDir(appsDir));
    expect(diff.changed.map((found) => found.folder)).toEqual(['new-home']);
  });

  it('is a pure function of its inputs', () => {
    app('a', 'alpha');
    const scanned = scanAppsDir(appsDir);
    const registry = new Map([['alpha', 'stale']]);
    expect(diffRegistry(registry, scanned)).toEqual(diffRegistry(registry, scanned));
    expect(registry).toEqual(new Map([['alpha', 'stale']]));
  });
});
