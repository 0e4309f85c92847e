import { Logger } from '@nestjs/common';
import { ServerRedis } from '@nestjs/microservices';
import { isRpcErrorPayload } from '@homehelper/contracts';
import { busNames } from './channels';
import { redisOptionsFromUrl } from './redis-options';
import { currentRequestId, requestIdFrom, runInRequestContext } from './request-context';
import { encodeReply } from './rpc-wire';

export { RawJson } from './rpc-wire';

const rpcLogger = new Logger('RPC');

export interface RpcServerOptions {
  redisUrl: string;
  instance: string;
  /** How long shutdown waits for requests already being handled before closing anyway. */
  drainTimeoutMs: number;
}

type Publisher = ReturnType<ServerRedis['getPublisher']>;
type ReplyPacket = Parameters<Publisher>[0];

/**
 * The NestJS Redis transport, with channels under this installation's instance prefix and a shutdown that
 * stops taking requests first and lets those in flight reply before the connections close. Replies are
 * written with the request id first (see rpc-wire.ts), so a caller can forward the result without parsing
 * it; a handler may return RawJson to send JSON it already has as text.
 */
export class RpcServer extends ServerRedis {
  private readonly names: ReturnType<typeof busNames>;
  private readonly routes = new Map<string, string>();
  /** The request `handleMessage` has just parsed, so that Nest's own parse of the same text reuses it. */
  private parsed?: { text: string; message: unknown };
  private inFlight = 0;
  private drained?: () => void;
  private closed = false;

  constructor(private readonly rpcOptions: RpcServerOptions) {
    const { host, port, username, password, db, tls } = redisOptionsFromUrl(rpcOptions.redisUrl);
    // Replies finished in one turn of the event loop go out in one write (ioredis pipelines them).
    super({ host, port, username, password, db, tls, retryAttempts: Number.MAX_SAFE_INTEGER, retryDelay: 1000, enableAutoPipelining: true });
    this.names = busNames(rpcOptions.instance);
  }

  override getRequestPattern(pattern: string): string {
    return this.names.rpcRequest(pattern);
  }

  override getReplyPattern(pattern: string): string {
    return this.names.rpcReply(pattern);
  }

  override async handleMessage(channel: string, buffer: string, pub: Parameters<ServerRedis['handleMessage']>[2], pattern: string) {
    const unprefixed = channel.slice(this.names.rpcPrefix.length);
    const message = parseJson(buffer);
    this.parsed = { text: buffer, message };
    // Each request is handled, and logged, under the caller's request id (a new one when it sent none).
    const requestId = (message as { data?: { requestId?: unknown } } | undefined)?.data?.requestId;
    return runInRequestContext({ requestId: requestIdFrom(requestId) }, () =>
      super.handleMessage(unprefixed, buffer, pub, pattern.slice(this.names.rpcPrefix.length)),
    );
  }

  /** Nest parses the message again at the start of handleMessage, synchronously: give it the parse just made. */
  override parseMessage(content: string): Record<string, unknown> {
    const parsed = this.parsed;
    this.parsed = undefined;
    if (parsed?.text === content) return parsed.message as Record<string, unknown>;
    return super.parseMessage(content) as Record<string, unknown>;
  }

  /** Nest tries `JSON.parse` on every incoming pattern (a thrown and caught SyntaxError for ours); once each is enough. */
  override getRouteFromPattern(pattern: string): string {
    let route = this.routes.get(pattern);
    if (route === undefined) {
      route = super.getRouteFromPattern(pattern);
      this.routes.set(pattern, route);
    }
    return route;
  }

  override getPublisher(pub: Parameters<ServerRedis['getPublisher']>[0], pattern: string, id: string, context: Parameters<ServerRedis['getPublisher']>[3]): Publisher {
    this.inFlight += 1;
    const started = performance.now();
    const replyChannel = this.getReplyPattern(pattern);
    let replied = false;
    return (response: ReplyPacket) => {
      const text = encodeReply(id, response);
      this.onProcessingEndHook?.(this.transportId, context);
      const result = pub.publish(replyChannel, text);
      if (!replied && (response.isDisposed || response.err !== undefined)) {
        replied = true;
        const { err } = response;
        const outcome = err === undefined || err === null ? 'ok' : isRpcErrorPayload(err) ? err.code : 'internal';
        const durationMs = Math.round((performance.now() - started) * 10) / 10;
        rpcLogger.debug({ message: 'RPC handled', pattern, durationMs, outcome, requestId: currentRequestId() });
        this.inFlight -= 1;
        if (this.inFlight === 0) this.drained?.();
      }
      return result;
    };
  }

  /** First step of a graceful shutdown: no new requests reach this service; the ones in flight still reply. */
  async stopAcceptingRequests(): Promise<void> {
    await this.subClient?.unsubscribe().catch(() => undefined);
  }

  override async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.stopAcceptingRequests();
    if (this.inFlight > 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.rpcOptions.drainTimeoutMs);
        this.drained = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    // The last replies wait in ioredis's pipeline until the end of this turn of the event loop; QUIT would overtake them.
    await new Promise((resolve) => setImmediate(resolve));
    await super.close();
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
