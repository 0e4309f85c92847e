import { readdir, readFile, readlink } from 'node:fs/promises';
import * as net from 'node:net';

// Whether a port is held on this machine, and by which process. Linux only for the owner (/proc, proc(5));
// the manager runs on Linux (the image, a Pi).

/** A process that holds a port, as far as /proc lets us see it. */
export interface PortOwner {
  pid: number;
  /** Its argv joined by spaces (/proc/<pid>/cmdline). */
  command: string;
}

/** The two addresses an app may bind: ours (127.0.0.1, DESIGN §5) and the wildcard a foreign server often uses. */
const PROBE_HOSTS = ['127.0.0.1', '0.0.0.0'] as const;

function canListen(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.unref();
    // EADDRINUSE means held; EACCES and the rest mean we could not use it either.
    server.once('error', () => resolve(false));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

// Two concurrent probes of one port in this process would see each other's test socket and both call it busy,
// so concurrent callers share the probe in flight.
const probesInFlight = new Map<number, Promise<boolean>>();

/** Whether something already listens on `port`: we try to listen on 127.0.0.1 and on 0.0.0.0, one after the other. */
export function isPortBusy(port: number): Promise<boolean> {
  const inFlight = probesInFlight.get(port);
  if (inFlight) return inFlight;
  const probe = (async () => {
    for (const host of PROBE_HOSTS) {
      if (!(await canListen(port, host))) return true;
    }
    return false;
  })().finally(() => probesInFlight.delete(port));
  probesInFlight.set(port, probe);
  return probe;
}

const TCP_LISTEN = '0A';

/** The socket inodes of /proc/net/tcp or tcp6 text that are in LISTEN state on `port`. */
export function listeningInodes(procNetTcp: string, port: number): number[] {
  const inodes: number[] = [];
  for (const line of procNetTcp.split('\n').slice(1)) {
    // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode …
    const fields = line.trim().split(/\s+/);
    if (fields.length < 10) continue;
    const local = fields[1];
    const localPort = parseInt(local.slice(local.lastIndexOf(':') + 1), 16);
    const inode = Number(fields[9]);
    if (fields[3] === TCP_LISTEN && localPort === port && Number.isSafeInteger(inode) && inode > 0) inodes.push(inode);
  }
  return inodes;
}

async function readOrEmpty(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch {
    return ''; // no IPv6 in this kernel, or no /proc
  }
}

async function entriesOrEmpty(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch {
    return []; // another user's process (EACCES) or one that just exited (ENOENT)
  }
}

async function commandOf(pid: number): Promise<string> {
  const cmdline = await readOrEmpty(`/proc/${pid}/cmdline`);
  return cmdline.split('\0').filter(Boolean).join(' ');
}

/**
 * The process listening on `port`, or null when none does or when it is not visible to us: a socket maps to a
 * pid only through /proc/<pid>/fd, readable for our own user's processes (or all of them as root).
 */
export async function portOwner(port: number): Promise<PortOwner | null> {
  const tables = await Promise.all([readOrEmpty('/proc/net/tcp'), readOrEmpty('/proc/net/tcp6')]);
  const inodes = new Set(tables.flatMap((table) => listeningInodes(table, port)));
  if (inodes.size === 0) return null;
  const links = new Set([...inodes].map((inode) => `socket:[${inode}]`));
  const pids = (await entriesOrEmpty('/proc')).filter((name) => /^\d+$/.test(name)).map(Number).sort((a, b) => a - b);
  for (const pid of pids) {
    for (const fd of await entriesOrEmpty(`/proc/${pid}/fd`)) {
      const target = await readlink(`/proc/${pid}/fd/${fd}`).catch(() => '');
      if (links.has(target)) return { pid, command: await commandOf(pid) };
    }
  }
  return null;
}
