import { appendFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { followLog, LogFollower } from './follow-log';
import { rotateLogIfNeeded } from './rotate-log';

describe('followLog', () => {
  let root: string;
  let dir: string;
  let follower: LogFollower | undefined;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'hh-follow-'));
    dir = join(root, 'logs');
    mkdirSync(dir);
  });
  afterEach(() => {
    follower?.close();
    rmSync(root, { recursive: true, force: true });
  });

  const append = (text: string) => appendFileSync(join(dir, 'app.log'), text);

  /** Follows `folder` and collects the batches it hands out. */
  function follow(folder = dir, pollMs?: number): string[][] {
    const batches: string[][] = [];
    follower = followLog(folder, (lines) => batches.push(lines), { pollMs });
    return batches;
  }

  async function until(check: () => boolean, timeoutMs = 3_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!check()) {
      if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms`);
      await sleep(5);
    }
  }

  it('hands out the complete lines appended after it starts, and none from before', async () => {
    append('old 1\nold 2\n');
    const batches = follow();
    append('new 1\nnew ');
    await until(() => batches.length === 1);
    append('2\n');
    await until(() => batches.length === 2);
    expect(batches).toEqual([['new 1'], ['new 2']]);
  });

  it('follows an app.log created later, in a folder created later', async () => {
    const later = join(root, 'not-yet');
    const batches = follow(later, 20);
    await sleep(50);
    mkdirSync(later);
    writeFileSync(join(later, 'app.log'), 'first\nsecond\n');
    await until(() => batches.flat().length === 2);
    // The folder is watched once it exists: the next line comes without waiting for a poll.
    follower?.close();
    const watched = follow(later, 60_000);
    await sleep(50);
    appendFileSync(join(later, 'app.log'), 'third\n');
    await until(() => watched.length === 1, 1_000);
    expect([batches.flat(), watched.flat()]).toEqual([['first', 'second'], ['third']]);
  });

  it('after a rotation, takes the lines it had not read from app.log.1, then app.log from its start', async () => {
    const batches = follow();
    append('line 1\nline 2\nline 3\n');
    await until(() => batches.flat().length === 3);
    // Appended and rotated away before the follower could look: only the copy holds lines 4 and 5.
    append('line 4\nline 5\n');
    expect(rotateLogIfNeeded({ dir, maxBytes: 1, files: 1 })).toBe(true);
    append('line 6\n');
    await until(() => batches.flat().length === 6);
    expect(batches.flat()).toEqual(['line 1', 'line 2', 'line 3', 'line 4', 'line 5', 'line 6']);
  });

  it('starts over at the top of a truncated app.log when there is no copy', async () => {
    const batches = follow();
    append('a rather long first line\n');
    await until(() => batches.length === 1);
    expect(rotateLogIfNeeded({ dir, maxBytes: 1, files: 0 })).toBe(true);
    append('short\n');
    await until(() => batches.length === 2);
    expect(batches).toEqual([['a rather long first line'], ['short']]);
  });

  it('keeps following when onLines throws, and hands out nothing after close()', async () => {
    const seen: string[] = [];
    follower = followLog(dir, (lines) => {
      seen.push(...lines);
      if (lines.includes('boom')) throw new Error('subscriber failed');
    });
    append('boom\n');
    await until(() => seen.length === 1);
    append('still here\n');
    await until(() => seen.length === 2);
    follower.close();
    append('too late\n');
    await sleep(100);
    expect(seen).toEqual(['boom', 'still here']);
  });
});
