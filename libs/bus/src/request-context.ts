import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

/** What is known about the request being handled, wherever in the call chain the code runs. */
export interface RequestContext {
  readonly requestId: string;
}

// Here rather than in libs/service because the RPC client and server need it, and libs/service imports libs/bus.
const storage = new AsyncLocalStorage<RequestContext>();

const SANE_REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * The request id to use for an id a caller sent: kept when it is a short token of `[A-Za-z0-9._-]`, otherwise
 * replaced by a new UUID. Ids end up in logs and response headers, so nothing else gets through.
 */
export function requestIdFrom(candidate: unknown): string {
  return typeof candidate === 'string' && SANE_REQUEST_ID.test(candidate) ? candidate : randomUUID();
}

/** Runs `work` (and everything it starts, synchronously or not) inside the given request context. */
export function runInRequestContext<T>(context: RequestContext, work: () => T): T {
  return storage.run(context, work);
}

export function currentRequestContext(): RequestContext | undefined {
  return storage.getStore();
}

export function currentRequestId(): string | undefined {
  return storage.getStore()?.requestId;
}
