import { Logger } from '@nestjs/common';
import { ServerRedis } from '@nestjs/microservices';
import { isRpcErrorPayload } from '@homehelper/contracts';
import { busNames } from './channels';
import { redisOptionsFromUrl } from './redis-options';
import { currentRequestId, requestIdFrom, runInRequestContext } from './request-context';

const rpcLogger = new Logger('RPC');

export interface RpcServerOptions {
  redisUrl: string;
  instance: string;
  /** How long shutdown waits for requests already being handled before closing anyway. */
  drainTimeoutMs: number;
}

/**
 * The NestJS Redis transport, with channels under this installation's instance prefix and a shutdown that
 * stops taking requests first and lets those in flight reply before the connections close.
 */
export class RpcServer extends ServerRedis {
  private readonly names: ReturnType<typeof busNames>;
  private inFlight = 0;
  private drained?: () => void;
  private closed = false;

  constructor(private readonly rpcOptions: RpcServerOptions) {
    const { host, port, username, password, db, tls } = redisOptionsFromUrl(rpcOptions.redisUrl);
    super({ host, port, username, password, db, tls, retryAttempts: Number.MAX_SAFE_INTEGER, retryDelay: 1000 });
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
    // Each request is handled, and logged, under the caller's request id (a new one when it sent none).
    return runInRequestContext({ requestId: requestIdFrom(requestIdOf(buffer)) }, () =>
      super.handleMessage(unprefixed, buffer, pub, pattern.slice(this.names.rpcPrefix.length)),
    );
  }

  override getPublisher(...args: Parameters<ServerRedis['getPublisher']>) {
    this.inFlight += 1;
    const publish = super.getPublisher(...args);
    const started = performance.now();
    let replied = false;
    return (response: Parameters<ReturnType<ServerRedis['getPublisher']>>[0]) => {
      const result = publish(response);
      if (!replied && (response.isDisposed || response.err !== undefined)) {
        replied = true;
        const { err } = response;
        const outcome = err === undefined || err === null ? 'ok' : isRpcErrorPayload(err) ? err.code : 'internal';
        const durationMs = Math.round((performance.now() - started) * 10) / 10;
        rpcLogger.debug({ message: 'RPC handled', pattern: args[1], durationMs, outcome, requestId: currentRequestId() });
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
    await super.close();
  }
}

function requestIdOf(buffer: string): unknown {
  try {
    return (JSON.parse(buffer) as { data?: { requestId?: unknown } }).data?.requestId;
  } catch {
    return undefined;
  }
}
