import { ChildProcess } from 'node:child_process';
import * as net from 'node:net';
import { freePortBlock, listenInChild, stopChild } from '@homehelper/testing';
import { isPortBusy, listeningInodes, portOwner } from './port-probe';

describe('listeningInodes', () => {
  const header = '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n';

  it('finds LISTEN sockets of the port in tcp and tcp6 tables', () => {
    const tcp =
      header +
      '   0: 0100007F:B7D6 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 111 1 0000000000000000 100 0 0 10 0\n' +
      '   1: 0100007F:B7D6 0100007F:9C40 01 00000000:00000000 00:00000000 00000000  1000        0 222 1 0000000000000000 20 4 30 10 -1\n' +
      '   2: 00000000:B7D7 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 333 1 0000000000000000 100 0 0 10 0\n';
    const tcp6 =
      header +
      '   0: 00000000000000000000000000000000:B7D6 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 444 1 0000000000000000 100 0 0 10 0\n';
    expect(listeningInodes(tcp, 0xb7d6)).toEqual([111]);
    expect(listeningInodes(tcp6, 0xb7d6)).toEqual([444]);
    expect(listeningInodes(tcp, 0xb7d8)).toEqual([]);
  });

  it('ignores sockets without an inode and malformed lines', () => {
    const tcp = header + '   0: 0100007F:B7D6 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 0 1\n  garbage\n';
    expect(listeningInodes(tcp, 0xb7d6)).toEqual([]);
  });
});

describe('isPortBusy and portOwner (real sockets)', () => {
  let child: ChildProcess | undefined;
  let PORT: number;
  beforeAll(async () => {
    PORT = await freePortBlock(4);
  });
  afterEach(() => stopChild(child));

  it('sees a free port as free, with no owner', async () => {
    expect(await isPortBusy(PORT)).toBe(false);
    expect(await portOwner(PORT)).toBeNull();
  });

  it.each(['127.0.0.1', '0.0.0.0'])('sees a port held on %s as busy and names the process holding it', async (host) => {
    child = await listenInChild(PORT + 1, host);
    expect(await isPortBusy(PORT + 1)).toBe(true);
    const owner = await portOwner(PORT + 1);
    expect(owner).toEqual({ pid: child.pid, command: expect.stringContaining('createServer') });
  });

  it('names our own process for a port we listen on', async () => {
    const server = net.createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(PORT + 2, '127.0.0.1', resolve);
    });
    try {
      expect(await isPortBusy(PORT + 2)).toBe(true);
      expect((await portOwner(PORT + 2))?.pid).toBe(process.pid);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('lets concurrent probes of one port agree that it is free', async () => {
    expect(await Promise.all(Array.from({ length: 5 }, () => isPortBusy(PORT + 3)))).toEqual([false, false, false, false, false]);
  });
});
