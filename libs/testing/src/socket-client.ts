import { io, Socket } from 'socket.io-client';

/** Connects to the gateway's socket.io endpoint; rejects with the server's reason when it refuses. */
export function connectSocket(gatewayUrl: string, token: string | undefined, auth: Record<string, unknown> = {}): Promise<Socket> {
  const socket = io(gatewayUrl, {
    path: '/ws',
    auth: { ...auth, ...(token === undefined ? {} : { token }) },
    transports: ['websocket'],
    reconnection: false,
  });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (error) => {
      socket.close();
      reject(error);
    });
  });
}

/** Everything a socket receives, in order, for asserting what arrived and what did not. */
export function recordEvents(socket: Socket): Array<{ name: string; payload: unknown }> {
  const received: Array<{ name: string; payload: unknown }> = [];
  socket.onAny((name: string, payload: unknown) => received.push({ name, payload }));
  return received;
}

/** The first value `probe` gives other than undefined, asking every 20 ms; `probe` may ask Postgres or Redis. */
export async function waitFor<T>(probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 2000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
