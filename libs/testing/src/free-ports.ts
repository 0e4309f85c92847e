import * as net from 'node:net';

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '0.0.0.0', () => server.close(() => resolve(true)));
  });
}

/**
 * Ports handed out below Linux's default ephemeral range (32768–60999): a port free now must stay free for the
 * test, and one in that range can be taken meanwhile by any outgoing connection's local end.
 */
const LOWEST = 10000;
const ABOVE_HIGHEST = 32768;

/** The first of `count` consecutive free TCP ports, picked at random so parallel test files rarely meet. */
export async function freePortBlock(count: number): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt += 1) {
    const base = LOWEST + Math.floor(Math.random() * (ABOVE_HIGHEST - LOWEST - count));
    const ports = Array.from({ length: count }, (_, index) => base + index);
    if ((await Promise.all(ports.map(isFree))).every(Boolean)) return base;
  }
  throw new Error(`No block of ${count} free ports found`);
}
