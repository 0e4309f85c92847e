import * as http from 'node:http';
import * as net from 'node:net';

// One health check of a managed app (DESIGN §5): an HTTP GET of its health path, or a bare TCP connect when
// the manifest gives no path. Run for every app every few seconds on a Pi, so each probe opens one
// connection, closes it as soon as it has its answer, and never outlives its timeout.

export interface HealthProbeTarget {
  port: number;
  /** The HTTP path to GET, such as /health; without it the probe only connects over TCP. */
  path?: string;
  /** Apps bind 127.0.0.1 (DESIGN §5). */
  host?: string;
}

export interface ProbeResult {
  healthy: boolean;
  /** What was seen, for the registry's last error and the logs: `HTTP 503`, `connection refused`, … */
  detail: string;
}

const DEFAULT_HOST = '127.0.0.1';

/** Probes `target` once; resolves within about `timeoutMs` and never rejects. */
export async function probeHealth(target: HealthProbeTarget, timeoutMs: number): Promise<ProbeResult> {
  const host = target.host ?? DEFAULT_HOST;
  try {
    return await (target.path === undefined ? probeTcp(host, target.port, timeoutMs) : probeHttp(host, target.port, target.path, timeoutMs));
  } catch (error) {
    // Node refuses some targets before connecting, by throwing: a port out of range, a path with characters
    // HTTP does not allow unescaped.
    return failure(error as NodeJS.ErrnoException);
  }
}

function probeHttp(host: string, port: number, path: string, timeoutMs: number): Promise<ProbeResult> {
  return new Promise((resolve) => {
    // agent: false gives this request its own socket with Connection: close, so no pooled keep-alive socket
    // stays open towards the app between probes.
    const request = http.get({ host, port, path, agent: false }, (response) => {
      const status = response.statusCode ?? 0;
      response.on('error', (error) => finish(failure(error)));
      // The answer counts once the body is read to its end, so the connection closes cleanly rather than
      // with a reset in the middle of the app's reply.
      response.once('end', () => finish({ healthy: status >= 200 && status < 400, detail: `HTTP ${status}` }));
      response.resume();
    });
    request.on('error', (error) => finish(failure(error)));
    const finish = settleOnce(resolve, timeoutMs, () => request.destroy());
  });
}

function probeTcp(host: string, port: number, timeoutMs: number): Promise<ProbeResult> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    socket.once('connect', () => finish({ healthy: true, detail: 'TCP connect ok' }));
    socket.on('error', (error) => finish(failure(error)));
    const finish = settleOnce(resolve, timeoutMs, () => socket.destroy());
  });
}

/**
 * A `finish` that resolves with the first result it is given, or with a timeout after `timeoutMs`, and then
 * releases the socket; later results (such as the error a destroyed request emits) are ignored.
 */
function settleOnce(resolve: (result: ProbeResult) => void, timeoutMs: number, release: () => void): (result: ProbeResult) => void {
  let settled = false;
  const finish = (result: ProbeResult) => {
    if (settled) return;
    settled = true;
    clearTimeout(timer);
    release();
    resolve(result);
  };
  const timer = setTimeout(() => finish({ healthy: false, detail: `timeout after ${timeoutMs} ms` }), timeoutMs);
  return finish;
}

function failure(error: NodeJS.ErrnoException): ProbeResult {
  if (error.code === 'ECONNREFUSED') return { healthy: false, detail: 'connection refused' };
  return { healthy: false, detail: error.code ?? error.message };
}
