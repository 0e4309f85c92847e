import * as http from 'node:http';
import { AddressInfo } from 'node:net';
import * as net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { probeHealth } from './health-probe';

// Real servers on ports the kernel picks, so this file shares no port with any other.

const servers: net.Server[] = [];

async function listen<T extends net.Server>(server: T): Promise<number> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

/** An HTTP server answering `status` on /health and 404 elsewhere. */
function httpServer(status: number): Promise<number> {
  return listen(
    http.createServer((request, response) => {
      response.statusCode = request.url === '/health' ? status : 404;
      response.end('{"status":"whatever"}');
    }),
  );
}

/** A port nothing listens on: one the kernel just gave us and we let go. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** How many connections `server` still holds once the probe's socket had a moment to close. */
async function openConnections(server: net.Server): Promise<number> {
  const deadline = Date.now() + 500;
  for (;;) {
    const count = await new Promise<number>((resolve, reject) => server.getConnections((error, n) => (error ? reject(error) : resolve(n))));
    if (count === 0 || Date.now() > deadline) return count;
    await sleep(10);
  }
}

/** Milliseconds `server.close()` takes: it waits for every connection still open. */
async function closeTime(server: net.Server): Promise<number> {
  const started = Date.now();
  await new Promise((resolve) => server.close(resolve));
  return Date.now() - started;
}

afterEach(async () => {
  for (const server of servers.splice(0)) {
    if (server.listening) await new Promise((resolve) => server.close(resolve));
  }
});

describe('probeHealth over HTTP', () => {
  it('is healthy on a 2xx answer and leaves no connection open', async () => {
    const port = await httpServer(200);
    expect(await probeHealth({ port, path: '/health' }, 2000)).toEqual({ healthy: true, detail: 'HTTP 200' });
    expect(await openConnections(servers[0])).toBe(0);
  });

  it('counts a redirect (3xx) as healthy', async () => {
    const port = await httpServer(302);
    expect(await probeHealth({ port, path: '/health' }, 2000)).toEqual({ healthy: true, detail: 'HTTP 302' });
  });

  it('is unhealthy on a 5xx answer and on a 4xx from a wrong path', async () => {
    const port = await httpServer(503);
    expect(await probeHealth({ port, path: '/health' }, 2000)).toEqual({ healthy: false, detail: 'HTTP 503' });
    expect(await probeHealth({ port, path: '/elsewhere' }, 2000)).toEqual({ healthy: false, detail: 'HTTP 404' });
    expect(await openConnections(servers[0])).toBe(0);
  });

  it('gives up on a server that never answers within its timeout and closes the connection', async () => {
    const server = http.createServer(() => undefined);
    const port = await listen(server);
    const started = Date.now();
    expect(await probeHealth({ port, path: '/health' }, 300)).toEqual({ healthy: false, detail: 'timeout after 300 ms' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(await openConnections(server)).toBe(0);
    expect(await closeTime(server)).toBeLessThan(200);
  });

  it('times out on a reply whose body never ends', async () => {
    const server = http.createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/plain' });
      response.write('still going');
    });
    const port = await listen(server);
    expect(await probeHealth({ port, path: '/health' }, 300)).toEqual({ healthy: false, detail: 'timeout after 300 ms' });
    expect(await closeTime(server)).toBeLessThan(200);
  });

  it('reports a connection reset by its code', async () => {
    const port = await listen(net.createServer((socket) => socket.resetAndDestroy()));
    expect(await probeHealth({ port, path: '/health' }, 2000)).toEqual({ healthy: false, detail: 'ECONNRESET' });
  });

  it('reports a closed port as connection refused', async () => {
    expect(await probeHealth({ port: await closedPort(), path: '/health' }, 2000)).toEqual({ healthy: false, detail: 'connection refused' });
  });

  it('resolves rather than throws for a path HTTP cannot carry', async () => {
    const port = await httpServer(200);
    expect(await probeHealth({ port, path: '/héalth€' }, 2000)).toEqual({ healthy: false, detail: 'not a path an HTTP request can carry: "/héalth€"' });
  });
});

describe('probeHealth over TCP', () => {
  it('is healthy when the port accepts a connection, and closes it at once', async () => {
    const server = net.createServer();
    const port = await listen(server);
    expect(await probeHealth({ port }, 2000)).toEqual({ healthy: true, detail: 'TCP connect ok' });
    expect(await openConnections(server)).toBe(0);
    expect(await closeTime(server)).toBeLessThan(200);
  });

  it('reports a closed port as connection refused', async () => {
    expect(await probeHealth({ port: await closedPort() }, 2000)).toEqual({ healthy: false, detail: 'connection refused' });
  });

  it('resolves rather than throws for a port out of range', async () => {
    expect(await probeHealth({ port: 70000 }, 2000)).toEqual({ healthy: false, detail: 'ERR_SOCKET_BAD_PORT' });
  });

  it('probes the host it is given', async () => {
    const server = net.createServer();
    const port = await listen(server);
    expect(await probeHealth({ port, host: '127.0.0.1' }, 2000)).toMatchObject({ healthy: true });
    expect(await probeHealth({ port, host: '127.0.0.2' }, 2000)).toEqual({ healthy: false, detail: 'connection refused' });
  });
});
