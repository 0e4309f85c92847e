import { closeSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rotateLogIfNeeded } from './rotate-log';

describe('rotateLogIfNeeded', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'hh-rotate-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const files = () => readdirSync(dir).sort();
  const read = (name: string) => readFileSync(join(dir, name), 'utf8');
  const write = (name: string, text: string) => writeFileSync(join(dir, name), text);

  it('does nothing while app.log is missing or not larger than the cap', () => {
    expect(rotateLogIfNeeded({ dir, maxBytes: 10, files: 2 })).toBe(false);
    expect(rotateLogIfNeeded({ dir: join(dir, 'missing'), maxBytes: 10, files: 2 })).toBe(false);
    write('app.log', '123456789\n');
    expect(rotateLogIfNeeded({ dir, maxBytes: 10, files: 2 })).toBe(false);
    expect(files()).toEqual(['app.log']);
  });

  it('shifts the rotated files, copies app.log to app.log.1 and empties it, keeping `files` of them', () => {
    for (let generation = 1; generation <= 4; generation++) {
      write('app.log', `generation ${generation}\n`);
      expect(rotateLogIfNeeded({ dir, maxBytes: 5, files: 2 })).toBe(true);
    }
    expect(files()).toEqual(['app.log', 'app.log.1', 'app.log.2']);
    expect([read('app.log'), read('app.log.1'), read('app.log.2')]).toEqual(['', 'generation 4\n', 'generation 3\n']);
  });

  it('keeps no copy when asked for none, and deletes rotated files beyond a lowered count', () => {
    for (const name of ['app.log.1', 'app.log.2', 'app.log.3']) write(name, `${name}\n`);
    write('app.log', 'newest\n');
    expect(rotateLogIfNeeded({ dir, maxBytes: 1, files: 1 })).toBe(true);
    expect(files()).toEqual(['app.log', 'app.log.1']);
    expect(read('app.log.1')).toBe('newest\n');

    write('app.log', 'dropped\n');
    expect(rotateLogIfNeeded({ dir, maxBytes: 1, files: 0 })).toBe(true);
    expect(files()).toEqual(['app.log']);
    expect(read('app.log')).toBe('');
  });

  it('lets a writer that holds app.log open in append mode, as the app does, carry on at the start', () => {
    const app = openSync(join(dir, 'app.log'), 'a');
    try {
      writeSync(app, 'before the rotation\n');
      expect(rotateLogIfNeeded({ dir, maxBytes: 1, files: 1 })).toBe(true);
      writeSync(app, 'after\n');
    } finally {
      closeSync(app);
    }
    // No hole of zero bytes where the old content was: the write went to offset 0.
    expect(read('app.log')).toBe('after\n');
    expect(read('app.log.1')).toBe('before the rotation\n');
  });

  it('refuses a cap or a count that is not a usable integer', () => {
    expect(() => rotateLogIfNeeded({ dir, maxBytes: 0, files: 1 })).toThrow(RangeError);
    expect(() => rotateLogIfNeeded({ dir, maxBytes: 1.5, files: 1 })).toThrow(RangeError);
    expect(() => rotateLogIfNeeded({ dir, maxBytes: 10, files: -1 })).toThrow(RangeError);
  });
});
