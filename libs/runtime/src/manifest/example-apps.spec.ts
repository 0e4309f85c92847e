import * as path from 'node:path';
import { scanAppsDir } from '../discovery';

// The example apps in examples/apps are what the README points newcomers to; this keeps their manifests valid.
const EXAMPLE_APPS_DIR = path.resolve(__dirname, '../../../../examples/apps');

describe('the example apps', () => {
  const apps = scanAppsDir(EXAMPLE_APPS_DIR);

  it('have valid manifests with the ids their folders are named after', () => {
    expect(apps.map(({ folder, result }) => [folder, result.ok ? result.manifest.id : result.reasons])).toEqual([
      ['node-clock', 'node-clock'],
      ['python-hello', 'python-hello'],
    ]);
  });

  it('are always-on services probed over HTTP', () => {
    for (const { result } of apps) {
      expect(result).toMatchObject({ ok: true, manifest: { type: 'service', runtime: 'process', autoStart: true, health: { path: '/health', tcp: false } } });
    }
  });
});
