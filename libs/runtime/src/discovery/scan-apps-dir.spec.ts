import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { DiscoveredApp, scanAppsDir } from './scan-apps-dir';

describe('scanAppsDir', () => {
  let appsDir: string;
  beforeEach(() => (appsDir = mkdtempSync(path.join(tmpdir(), 'hh-apps-'))));
  afterEach(() => rmSync(appsDir, { recursive: true, force: true }));

  const app = (folder: string, manifest: unknown) => {
    mkdirSync(path.join(appsDir, folder), { recursive: true });
    writeFileSync(path.join(appsDir, folder, 'main.py'), 'print("hi")\n');
    writeFileSync(path.join(appsDir, folder, 'homehelper.json'), typeof manifest === 'string' ? manifest : JSON.stringify(manifest));
  };
  const service = (id: string) => ({ id, name: id, version: '1.0.0', type: 'service', command: ['python3', 'main.py'] });
  const summary = (apps: DiscoveredApp[]) => apps.map(({ folder, result }) => [folder, result.ok ? result.manifest.id : result.reasons]);

  it('lists each direct subfolder with a manifest, sorted, valid or with its reasons', () => {
    app('weather', service('weather-station'));
    app('broken', '{ nope');
    app('hostile', { ...service('hostile'), command: 'python3 main.py' });
    mkdirSync(path.join(appsDir, 'no-manifest'));
    app('.hidden', service('hidden'));
    app('nested/deeper', service('deeper'));
    writeFileSync(path.join(appsDir, 'stray-file.json'), '{}');

    const apps = scanAppsDir(appsDir);
    expect(summary(apps)).toEqual([
      ['broken', [expect.stringMatching(/^homehelper\.json is not valid JSON/)]],
      ['hostile', ['command must be an argv array such as ["python3", "main.py"], not a shell string']],
      ['weather', 'weather-station'],
    ]);
    expect(apps[2]).toMatchObject({ path: path.join(appsDir, 'weather'), fingerprint: expect.stringMatching(/^[0-9a-f]{64}$/) });
  });

  it('refuses an id claimed by two folders in both, naming the other, whatever the order', () => {
    app('b-copy', service('clock'));
    app('a-original', service('clock'));
    app('c-third', service('clock'));
    app('other', service('other'));
    expect(summary(scanAppsDir(appsDir))).toEqual([
      ['a-original', ['id clock is also claimed by folders b-copy, c-third']],
      ['b-copy', ['id clock is also claimed by folders a-original, c-third']],
      ['c-third', ['id clock is also claimed by folders a-original, b-copy']],
      ['other', 'other'],
    ]);
  });

  it('names the one other folder in the singular', () => {
    app('one', service('clock'));
    app('two', service('clock'));
    expect(summary(scanAppsDir(appsDir))[0]).toEqual(['one', ['id clock is also claimed by folder two']]);
  });

  it('does not let an invalid manifest take an id away from a valid one', () => {
    app('good', service('clock'));
    app('bad', { ...service('clock'), port: 80 });
    expect(summary(scanAppsDir(appsDir))).toEqual([
      ['bad', ['port must be from 1024 to 65535']],
      ['good', 'clock'],
    ]);
  });

  it('refuses a manifest symlinked from another app folder', () => {
    app('real', service('real'));
    mkdirSync(path.join(appsDir, 'thief'));
    symlinkSync(path.join(appsDir, 'real', 'homehelper.json'), path.join(appsDir, 'thief', 'homehelper.json'));
    expect(summary(scanAppsDir(appsDir))).toEqual([
      ['real', 'real'],
      ['thief', ['homehelper.json is a symlink to outside the app folder']],
    ]);
  });

  it('throws when the apps folder itself is missing', () => {
    expect(() => scanAppsDir(path.join(appsDir, 'missing'))).toThrow(/ENOENT/);
  });
});
