import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { MANIFEST_FILE, readManifest } from './read-manifest';
import { validateManifest } from './validate-manifest';

describe('validateManifest', () => {
  let root: string;
  let folder: string;
  beforeEach(() => {
    root = mkdtempSync(path.join(tmpdir(), 'hh-manifest-'));
    folder = path.join(root, 'app');
    mkdirSync(folder);
    writeFileSync(path.join(folder, 'main.py'), 'print("hi")\n');
    writeFileSync(path.join(folder, 'app.py'), 'import streamlit\n');
    writeFileSync(path.join(folder, 'requirements.txt'), 'streamlit\n');
    writeFileSync(path.join(root, 'secret.txt'), 'outside\n');
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  const service = { id: 'weather-station', name: 'Weather Station', version: '1.2.0', type: 'service', command: ['python3', 'main.py'] };
  const streamlit = { id: 'dashboard', name: 'Dashboard', version: '0.1.0', type: 'streamlit', entry: 'app.py' };

  const reasonsFor = (manifest: unknown): string[] => {
    const result = validateManifest(manifest, folder);
    if (result.ok) throw new Error('expected the manifest to be refused');
    return result.reasons;
  };

  it('accepts a minimal service and fills every default', () => {
    const result = validateManifest(service, folder);
    expect(result).toEqual({
      ok: true,
      manifest: {
        ...service,
        runtime: 'process',
        env: {},
        health: { tcp: true, intervalSeconds: 10, timeoutSeconds: 2, startPeriodSeconds: 30, failureThreshold: 3 },
        restart: { policy: 'on-failure', maxAttempts: 5, backoffSeconds: 1, maxBackoffSeconds: 60 },
        autoStart: true,
      },
    });
  });

  it('accepts the full example of DESIGN §5', () => {
    const full = {
      ...service,
      description: 'Local weather',
      runtime: 'process',
      port: 8123,
      env: { UNITS: 'metric' },
      health: { path: '/health', intervalSeconds: 10, timeoutSeconds: 2, startPeriodSeconds: 30 },
      restart: { policy: 'on-failure', maxAttempts: 5, backoffSeconds: 1, maxBackoffSeconds: 60 },
      autoStart: true,
      ttlSeconds: 300,
      resources: { memoryMb: 256, cpus: 0.5 },
      setup: { requirements: 'requirements.txt' },
    };
    const result = validateManifest(full, folder);
    expect(result.ok && result.manifest.health).toEqual({ path: '/health', tcp: false, intervalSeconds: 10, timeoutSeconds: 2, startPeriodSeconds: 30, failureThreshold: 3 });
  });

  it('accepts a streamlit app with an entry and no command, off until asked for', () => {
    const result = validateManifest(streamlit, folder);
    expect(result).toMatchObject({ ok: true, manifest: { type: 'streamlit', entry: 'app.py', autoStart: false, runtime: 'process' } });
  });

  it('accepts command paths that stay inside the folder, URLs, options and PATH programs', () => {
    mkdirSync(path.join(folder, 'bin'));
    const command = ['./bin/run.sh', 'main.py', '-m', 'http.server', '--config=./conf/app.toml', 'http://127.0.0.1:9/x', 'data/new-file'];
    expect(validateManifest({ ...service, command }, folder)).toMatchObject({ ok: true });
  });

  it('does not check a docker app command against the folder: it runs inside the image', () => {
    const docker = { ...service, runtime: 'docker', image: 'python:3.12-slim', command: ['python3', '/app/main.py'] };
    expect(validateManifest(docker, folder)).toMatchObject({ ok: true });
  });

  const outside = () => path.join(root, 'secret.txt');
  it.each<[string, () => unknown, RegExp]>([
    ['an id with ../', () => ({ ...service, id: '../x' }), /^id must be 1-40 lower-case/],
    ['an upper-case id', () => ({ ...service, id: 'UPPER' }), /^id must be/],
    ['a 41-character id', () => ({ ...service, id: 'a'.repeat(41) }), /^id must be/],
    ['an empty id', () => ({ ...service, id: '' }), /^id must be/],
    ['a missing id', () => ({ ...service, id: undefined }), /^id is required$/],
    ['a command given as a shell string', () => ({ ...service, command: 'python3 main.py && rm -rf ~' }), /^command must be an argv array .*not a shell string$/],
    ['a command with an empty element', () => ({ ...service, command: ['python3', ''] }), /^command\[1\] must be a non-empty string$/],
    ['a command running ../evil.sh', () => ({ ...service, command: ['../evil.sh'] }), /^command\[0\] \.\.\/evil\.sh leaves the app folder$/],
    ['a command argument ../evil.sh', () => ({ ...service, command: ['bash', '../evil.sh'] }), /^command\[1\] \.\.\/evil\.sh leaves the app folder$/],
    ['an option value outside', () => ({ ...service, command: ['python3', 'main.py', '--config=../../etc/app.toml'] }), /^command\[2\] .* leaves the app folder$/],
    ['an absolute interpreter', () => ({ ...service, command: ['/usr/bin/python3', 'main.py'] }), /^command\[0\] .*absolute path outside the app folder; name the program bare/],
    ['an absolute argument', () => ({ ...service, command: ['cat', outside()] }), /^command\[1\] .*absolute path outside the app folder$/],
    ['a home-relative argument', () => ({ ...service, command: ['python3', '~/main.py'] }), /^command\[1\] .*home-relative/],
    ['an entry ../../etc/passwd', () => ({ ...streamlit, entry: '../../etc/passwd' }), /^entry \.\.\/\.\.\/etc\/passwd leaves the app folder$/],
    ['an absolute entry', () => ({ ...streamlit, entry: '/etc/passwd' }), /^entry must be a path relative to the app folder/],
    ['an entry that does not exist', () => ({ ...streamlit, entry: 'nope.py' }), /^entry nope\.py does not exist in the app folder$/],
    ['requirements outside', () => ({ ...service, setup: { requirements: '../secret.txt' } }), /^setup\.requirements \.\.\/secret\.txt leaves the app folder$/],
    ['a streamlit app without entry', () => ({ ...streamlit, entry: undefined }), /^entry is required for a streamlit app/],
    ['a service without command', () => ({ ...service, command: undefined }), /^command is required for a service/],
    ['a docker app without image', () => ({ ...service, runtime: 'docker' }), /^image is required when runtime is docker$/],
    ['env key PORT', () => ({ ...service, env: { PORT: '80' } }), /^env\.PORT is set by HomeHelper itself/],
    ['env key REDIS_URL', () => ({ ...service, env: { REDIS_URL: 'redis://evil' } }), /^env\.REDIS_URL is set by HomeHelper itself/],
    ['a lower-case env key', () => ({ ...service, env: { units: 'metric' } }), /^env\.units is not a valid variable name/],
    ['a non-string env value', () => ({ ...service, env: { UNITS: 3 } }), /^env\.UNITS must be a string$/],
    ['101 env keys', () => ({ ...service, env: Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`K${i}`, 'v'])) }), /^env must have at most 100 variables$/],
    ['a 5 KB env value', () => ({ ...service, env: { BIG: 'x'.repeat(5000) } }), /^env\.BIG must be at most 4096 characters$/],
    ['an unknown field', () => ({ ...service, privileged: true }), /^privileged is not a known field$/],
    ['an unknown nested field', () => ({ ...service, health: { path: '/h', script: 'curl' } }), /^health\.script is not a known field$/],
    ['port 80', () => ({ ...service, port: 80 }), /^port must be from 1024 to 65535$/],
    ['port 70000', () => ({ ...service, port: 70000 }), /^port must be from 1024 to 65535$/],
    ['a port given as a string', () => ({ ...service, port: '8123' }), /^port must be a number$/],
    ['a health path without /', () => ({ ...service, health: { path: 'health' } }), /^health\.path must be a URL path starting with '\/'/],
    ['both health path and tcp', () => ({ ...service, health: { path: '/health', tcp: true } }), /^health\.tcp must not be given with path/],
    ['an unknown restart policy', () => ({ ...service, restart: { policy: 'sometimes' } }), /^restart\.policy must be always, on-failure or never$/],
    ['a negative backoff', () => ({ ...service, restart: { backoffSeconds: -1 } }), /^restart\.backoffSeconds must be from/],
    ['an unknown type', () => ({ ...service, type: 'cron' }), /^type must be service or streamlit$/],
    ['an array instead of an object', () => [service], /^homehelper\.json must be a JSON object$/],
  ])('refuses %s with a reason naming the field', (_, manifest, expected) => {
    const reasons = reasonsFor(manifest());
    expect(reasons).toEqual(expect.arrayContaining([expect.stringMatching(expected)]));
  });

  it('refuses an entry symlinked out of the folder', () => {
    symlinkSync(outside(), path.join(folder, 'linked.py'));
    expect(reasonsFor({ ...streamlit, entry: 'linked.py' })).toEqual(['entry linked.py resolves through a symlink to outside the app folder']);
  });

  it('refuses a bare command word that is a symlink out of the folder', () => {
    rmSync(path.join(folder, 'main.py'));
    symlinkSync(outside(), path.join(folder, 'main.py'));
    expect(reasonsFor(service)).toEqual(['command[1] main.py resolves through a symlink to outside the app folder']);
  });

  it('refuses a path that does not exist yet under a symlinked folder that leads out', () => {
    symlinkSync(root, path.join(folder, 'up'));
    expect(reasonsFor({ ...service, command: ['python3', 'up/not-yet.py'] })).toEqual(['command[1] up/not-yet.py resolves through a symlink to outside the app folder']);
  });

  it('judges the folder by its real path, so an app folder reached through a symlink still works', () => {
    const link = path.join(root, 'link-to-app');
    symlinkSync(folder, link);
    expect(validateManifest({ ...streamlit }, link)).toMatchObject({ ok: true });
  });

  it('lists every schema reason at once', () => {
    expect(reasonsFor({ ...service, id: 'UPPER', port: 80, extra: 1 })).toHaveLength(3);
  });
});

describe('readManifest', () => {
  let folder: string;
  beforeEach(() => (folder = mkdtempSync(path.join(tmpdir(), 'hh-read-manifest-'))));
  afterEach(() => rmSync(folder, { recursive: true, force: true }));
  const write = (content: string) => writeFileSync(path.join(folder, MANIFEST_FILE), content);
  const valid = { id: 'echo', name: 'Echo', version: '1.0.0', type: 'service', command: ['node', '-e', '0'] };

  it('returns undefined for a folder without a manifest', () => {
    expect(readManifest(folder)).toBeUndefined();
  });

  it('reads a valid manifest with a sha256 of its bytes', () => {
    write(JSON.stringify(valid));
    const file = readManifest(folder);
    expect(file?.result.ok).toBe(true);
    expect(file?.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('refuses malformed JSON with the parser reason', () => {
    write('{ "id": "echo", ');
    expect(readManifest(folder)?.result).toEqual({ ok: false, reasons: [expect.stringMatching(/^homehelper\.json is not valid JSON: /)] });
  });

  it('refuses a 100 KB file before parsing it', () => {
    write(JSON.stringify({ ...valid, description: 'x'.repeat(100 * 1024) }));
    expect(readManifest(folder)?.result).toEqual({ ok: false, reasons: [expect.stringMatching(/^homehelper\.json is \d+ bytes; at most 65536 are allowed$/)] });
  });

  it('refuses a manifest that is a symlink out of the folder, without reading it', () => {
    const elsewhere = mkdtempSync(path.join(tmpdir(), 'hh-elsewhere-'));
    try {
      writeFileSync(path.join(elsewhere, MANIFEST_FILE), JSON.stringify(valid));
      symlinkSync(path.join(elsewhere, MANIFEST_FILE), path.join(folder, MANIFEST_FILE));
      expect(readManifest(folder)).toEqual({ result: { ok: false, reasons: ['homehelper.json is a symlink to outside the app folder'] } });
    } finally {
      rmSync(elsewhere, { recursive: true, force: true });
    }
  });

  it('refuses a manifest that is a folder or a dangling symlink', () => {
    mkdirSync(path.join(folder, MANIFEST_FILE));
    expect(readManifest(folder)?.result).toEqual({ ok: false, reasons: ['homehelper.json is not a regular file'] });
    rmSync(path.join(folder, MANIFEST_FILE), { recursive: true });
    symlinkSync(path.join(folder, 'gone'), path.join(folder, MANIFEST_FILE));
    expect(readManifest(folder)?.result).toEqual({ ok: false, reasons: [expect.stringMatching(/cannot be resolved/)] });
  });
});
