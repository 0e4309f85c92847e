import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { ErrorCode, isRpcErrorPayload, RpcRequest } from '@homehelper/contracts';
import { busNames } from './channels';
import { redisOptionsFromUrl } from './redis-options';
import { currentRequestId } from './request-context';
import { ServiceError } from './service-error';

export interface RpcClientOptions {
  redisUrl: string;
  instance: string;
  timeoutMs: number;
}

export interface FinishedCall {
  pattern: string;
  durationMs: number;
  outcome: 'ok' | ErrorCode;
}

interface PendingCall {
  resolve: (value: unknown) => void;
  reject: (error: ServiceError) => void;
  timer: NodeJS.Timeout;
}

/** Reply packet of the NestJS Redis transport. */
interface ReplyPacket {
  id?: string;
  response?: unknown;
  err?: unknown;
  isDisposed?: boolean;
}

/**
 * Request/reply to the services over the NestJS Redis transport's wire format. Every call ends: with the
 * reply, with `unavailable` at once when no service listens on the pattern (PUBLISH reached nobody), or with
 * `timeout` when no reply comes in time.
 */
export class RpcClient {
  private readonly names: ReturnType<typeof busNames>;
  private readonly publisher: Redis;
  private readonly subscriber: Redis;
  private readonly replyChannels = new Map<string, Promise<unknown>>();
  private readonly pending = new Map<string, PendingCall>();
  private readonly observers: Array<(call: FinishedCall) => void> = [];

  constructor(private readonly options: RpcClientOptions) {
    this.names = busNames(options.instance);
    const redis = { ...redisOptionsFromUrl(options.redisUrl), lazyConnect: true };
    this.publisher = new Redis(redis);
    this.subscriber = new Redis(redis);
    this.subscriber.on('message', (_channel: string, message: string) => this.settle(message));
  }

  async send<TResult>(pattern: string, request: RpcRequest, { timeoutMs }: { timeoutMs?: number } = {}): Promise<TResult> {
    const started = performance.now();
    const deadline = timeoutMs ?? this.options.timeoutMs;
    const id = randomUUID();
    const reply = new Promise<unknown>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(ServiceError.timeout(`No reply to ${pattern} within ${deadline} ms`));
      }, deadline);
      this.pending.set(id, { resolve, reject, timer });
    });
    // The reply can arrive before the publish is acknowledged (another connection): a handler is attached now,
    // so a quick rejection is never an unhandled one that would end the process. The caller still receives it.
    reply.catch(() => undefined);
    try {
      await this.listenForReplies(pattern);
      const receivers = await this.publisher.publish(
        this.names.rpcRequest(pattern),
        JSON.stringify({ pattern, data: { ...request, requestId: request.requestId ?? currentRequestId() }, id }),
      );
      if (receivers === 0) this.fail(id, ServiceError.unavailable(`No service is answering ${pattern}`));
    } catch (error) {
      this.fail(id, ServiceError.unavailable(`The message bus is unreachable: ${(error as Error).message}`));
    }
    const report = (outcome: FinishedCall['outcome']) => {
      for (const observer of this.observers) observer({ pattern, durationMs: performance.now() - started, outcome });
    };
    reply.then(
      () => report('ok'),
      (error: ServiceError) => report(error.code),
    );
    return reply as Promise<TResult>;
  }

  /** Tells `observer` about every call once it has ended (for metrics). */
  observe(observer: (call: FinishedCall) => void): void {
    this.observers.push(observer);
  }

  async close(): Promise<void> {
    for (const id of [...this.pending.keys()]) this.fail(id, ServiceError.unavailable('The gateway is shutting down'));
    await Promise.all([this.publisher, this.subscriber].map((connection) => connection.quit().catch(() => connection.disconnect())));
  }

  private listenForReplies(pattern: string): Promise<unknown> {
    const channel = this.names.rpcReply(pattern);
    let subscribed = this.replyChannels.get(channel);
    if (!subscribed) {
      subscribed = this.subscriber.subscribe(channel);
      subscribed.catch(() => this.replyChannels.delete(channel));
      this.replyChannels.set(channel, subscribed);
    }
    return subscribed;
  }

  private settle(message: string): void {
    let packet: ReplyPacket;
    try {
      packet = JSON.parse(message) as ReplyPacket;
    } catch {
      return;
    }
    const call = packet.id ? this.pending.get(packet.id) : undefined;
    if (!call || !packet.id) return;
    if (packet.err !== undefined && packet.err !== null) return this.fail(packet.id, toServiceError(packet.err));
    this.pending.delete(packet.id);
    clearTimeout(call.timer);
    call.resolve(packet.response);
  }

  private fail(id: string, error: ServiceError): void {
    const call = this.pending.get(id);
    if (!call) return;
    this.pending.delete(id);
    clearTimeout(call.timer);
    call.reject(error);
  }
}

function toServiceError(err: unknown): ServiceError {
  if (isRpcErrorPayload(err)) return new ServiceError(err.code, err.message, err.details);
  if (typeof err === 'string' && err.includes('no matching message handler')) {
    return ServiceError.unavailable('The service does not handle this request (is it a different version?)');
  }
  return new ServiceError('internal', 'The service failed to handle the request');
}
