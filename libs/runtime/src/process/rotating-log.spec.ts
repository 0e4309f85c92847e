import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RotatingLogWriter, tailLog } from './rotating-log';

describe('RotatingLogWriter and tailLog', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'hh-log-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const line = (index: number) => `line ${String(index).padStart(4, '0')}\n`; // 10 bytes
  const files = () => readdirSync(dir).sort();
  const read = (name: string) => readFileSync(join(dir, name), 'utf8');

  it('rotates at whole lines before the cap and keeps only the newest files', () => {
    const writer = new RotatingLogWriter({ dir, maxBytes: 35, files: 2 });
    // 12 lines of 10 bytes: three per file at most.
    for (let index = 0; index < 12; index++) writer.write(Buffer.from(line(index)));
    writer.close();
    expect(files()).toEqual(['app.log', 'app.log.1', 'app.log.2']);
    expect(read('app.log')).toBe(line(9) + line(10) + line(11));
    expect(read('app.log.1')).toBe(line(6) + line(7) + line(8));
    expect(read('app.log.2')).toBe(line(3) + line(4) + line(5));
    for (const name of files()) expect(statSync(join(dir, name)).size).toBeLessThanOrEqual(35);
  });

  it('splits a block of lines at a line boundary, and only a line longer than the cap inside itself', () => {
    const writer = new RotatingLogWriter({ dir, maxBytes: 25, files: 5 });
    writer.write(Buffer.from(line(0) + line(1) + line(2)));
    writer.write(Buffer.from(`${'y'.repeat(60)}\n`));
    writer.close();
    // 61 bytes of one line: 25 + 25 + 11, the cut falls inside the line only because it is longer than the cap.
    expect(['app.log.4', 'app.log.3', 'app.log.2', 'app.log.1', 'app.log'].map(read)).toEqual([
      line(0) + line(1),
      line(2),
      'y'.repeat(25),
      'y'.repeat(25),
      `${'y'.repeat(10)}\n`,
    ]);
  });

  it('keeps no rotated file when asked for none, and appends to an existing log', () => {
    writeFileSync(join(dir, 'app.log'), line(0));
    const writer = new RotatingLogWriter({ dir, maxBytes: 20, files: 0 });
    writer.write(Buffer.from(line(1)));
    expect(read('app.log')).toBe(line(0) + line(1));
    writer.write(Buffer.from(line(2)));
    writer.close();
    expect(files()).toEqual(['app.log']);
    expect(read('app.log')).toBe(line(2));
  });

  it('refuses a cap that is not a positive integer', () => {
    expect(() => new RotatingLogWriter({ dir, maxBytes: 0, files: 1 })).toThrow(RangeError);
    expect(() => new RotatingLogWriter({ dir, maxBytes: 10, files: -1 })).toThrow(RangeError);
  });

  it('tails the last lines across rotated files, oldest first', async () => {
    const writer = new RotatingLogWriter({ dir, maxBytes: 35, files: 2 });
    for (let index = 0; index < 12; index++) writer.write(Buffer.from(line(index)));
    writer.close();
    const text = (index: number) => line(index).trimEnd();
    expect(await tailLog(dir, 2)).toEqual([text(10), text(11)]);
    expect(await tailLog(dir, 5)).toEqual([7, 8, 9, 10, 11].map(text));
    // More than the files hold: everything that is left (lines 0-2 were rotated away).
    expect(await tailLog(dir, 100)).toEqual(Array.from({ length: 9 }, (_, index) => text(index + 3)));
    expect(await tailLog(dir, 0)).toEqual([]);
  });

  it('tails across read chunks, keeps a last line without newline, and reads no file when there is none', async () => {
    const lines = Array.from({ length: 20_000 }, (_, index) => `entry ${index} ${'é'.repeat(index % 7)}`);
    writeFileSync(join(dir, 'app.log.1'), `${lines.slice(0, 10_000).join('\n')}\n`);
    writeFileSync(join(dir, 'app.log'), lines.slice(10_000).join('\n'));
    expect(await tailLog(dir, 3)).toEqual(lines.slice(-3));
    expect(await tailLog(dir, 15_000)).toEqual(lines.slice(-15_000));
    expect(await tailLog(join(dir, 'missing'), 10)).toEqual([]);
  });
});
