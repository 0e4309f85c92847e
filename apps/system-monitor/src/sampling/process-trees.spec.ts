import { ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { FULL_SCAN_EVERY_MS, ProcessTrees } from './process-trees';

/** A parent that starts a sleeping child for each `spawn` line on stdin and prints the child's pid. */
const PARENT = `
  const { spawn } = require('node:child_process');
  const children = [];
  require('node:readline').createInterface({ input: process.stdin }).on('line', () => {
    const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    children.push(child);
    process.stdout.write(child.pid + '\\n');
  });
  process.on('SIGTERM', () => { children.forEach((child) => child.kill('SIGKILL')); process.exit(0); });
`;

describe('ProcessTrees on real processes', () => {
  let parent: ChildProcess;
  let pids: AsyncIterator<string>;
  let clock = 0;
  const trees = new ProcessTrees(() => clock);

  beforeAll(() => {
    parent = spawn(process.execPath, ['-e', PARENT], { stdio: ['pipe', 'pipe', 'ignore'] });
    pids = createInterface({ input: parent.stdout! })[Symbol.asyncIterator]();
  });
  afterAll(() => parent.kill('SIGTERM'));

  const spawnChild = async () => {
    parent.stdin!.write('spawn\n');
    return Number((await pids.next()).value);
  };
  const members = () => trees.tree(parent.pid!).map((entry) => entry.pid);

  it('finds the descendants of a new root at once, then reads only the known members until the next scan', async () => {
    const first = await spawnChild();
    trees.refresh([parent.pid!]);
    expect(members()).toEqual([parent.pid, first]);

    const second = await spawnChild();
    process.kill(first, 'SIGKILL');
    await new Promise((resolve) => setTimeout(resolve, 200));
    clock += FULL_SCAN_EVERY_MS - 1;
    trees.refresh([parent.pid!]);
    expect(members()).toEqual([parent.pid]);

    clock += 1;
    trees.refresh([parent.pid!]);
    expect(members()).toEqual([parent.pid, second]);
  });

  it('has no tree for a root that is not running', () => {
    trees.refresh([4_000_000]);
    expect(trees.tree(4_000_000)).toEqual([]);
  });
});
