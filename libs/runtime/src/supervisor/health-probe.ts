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
    // Node refuses some targets before connecting, by throwing: a port out of range.
    return failure(error as NodeJS.ErrnoException);
  }
}

/**
 * A minimal HTTP/1.0 GET written on a plain socket: only the status line is parsed. The http module's
 * request, agent and parser cost about half again as much CPU per probe, which adds up over 50 apps.
 * The answer counts once the app closes the connection (HTTP/1.0 without keep-alive), so it never sees a
 * reset in the middle of its reply.
 */
function probeHttp(host: string, port: number, path: string, timeoutMs: number): Promise<ProbeResult> {
  if (!HTTP_PATH.test(path)) return Promise.resolve({ healthy: false, detail: `not a path an HTTP request can carry: ${JSON.stringify(path)}` });
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    let head = '';
    socket.setNoDelay(true);
    socket.once('connect', () => socket.write(`GET ${path} HTTP/1.0\r\nHost: ${host}:${port}\r\nUser-Agent: homehelper-probe\r\n\r\n`));
    socket.on('data', (chunk: Buffer) => {
      // Only the status line matters; the rest of the reply is read and dropped.
      if (head.length < STATUS_LINE_MAX) head += chunk.toString('latin1', 0, Math.min(chunk.length, STATUS_LINE_MAX));
    });
    socket.once('end', () => {
      const status = STATUS_LINE.exec(head);
      finish(status ? { healthy: Number(status[1]) >= 200 && Number(status[1]) < 400, detail: `HTTP ${status[1]}` } : { healthy: false, detail: 'not an HTTP answer' });
    });
    socket.on('error', (error) => finish(failure(error)));
    const finish = settleOnce(resolve, timeoutMs, () => socket.destroy());
  });
}

const STATUS_LINE = /^HTTP\/\d\.\d (\d{3})/;
const STATUS_LINE_MAX = 64;
/** A path Node's own client would send: printable ASCII without spaces. */
const HTTP_PATH = /^\/[\x21-\x7e]*$/;

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
