import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tailLog } from './tail-log';

describe('tailLog', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'hh-tail-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const text = (index: number) => `line ${String(index).padStart(4, '0')}`;
  /** Lines `from` to `to` (inclusive), each ending with '\n'. */
  const lines = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, index) => `${text(from + index)}\n`).join('');

  it('tails the last lines across rotated files, oldest first', async () => {
    writeFileSync(join(dir, 'app.log.2'), lines(3, 5));
    writeFileSync(join(dir, 'app.log.1'), lines(6, 8));
    writeFileSync(join(dir, 'app.log'), lines(9, 11));
    expect(await tailLog(dir, 2)).toEqual([text(10), text(11)]);
    expect(await tailLog(dir, 5)).toEqual([7, 8, 9, 10, 11].map(text));
    // More than the files hold: everything there is.
    expect(await tailLog(dir, 100)).toEqual(Array.from({ length: 9 }, (_, index) => text(index + 3)));
    expect(await tailLog(dir, 0)).toEqual([]);
  });

  it('reads an emptied app.log (just rotated) through to app.log.1, and joins a line a rotation split', async () => {
    writeFileSync(join(dir, 'app.log.1'), `${lines(0, 1)}half of a`);
    writeFileSync(join(dir, 'app.log'), ' line\n');
    expect(await tailLog(dir, 2)).toEqual([text(1), 'half of a line']);
    writeFileSync(join(dir, 'app.log'), '');
    expect(await tailLog(dir, 1)).toEqual(['half of a']);
  });

  it('tails across read chunks, keeps a last line without newline, and reads no file when there is none', async () => {
    const all = Array.from({ length: 20_000 }, (_, index) => `entry ${index} ${'é'.repeat(index % 7)}`);
    writeFileSync(join(dir, 'app.log.1'), `${all.slice(0, 10_000).join('\n')}\n`);
    writeFileSync(join(dir, 'app.log'), all.slice(10_000).join('\n'));
    expect(await tailLog(dir, 3)).toEqual(all.slice(-3));
    expect(await tailLog(dir, 15_000)).toEqual(all.slice(-15_000));
    expect(await tailLog(join(dir, 'missing'), 10)).toEqual([]);
  });
});
