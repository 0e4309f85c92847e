import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { ErrorCode, isRpcErrorPayload, RpcRequest } from '@homehelper/contracts';
import { busNames } from './channels';
import { redisOptionsFromUrl } from './redis-options';
import { currentRequestId } from './request-context';
import { forwardableReply } from './rpc-wire';
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
  /** Whether the caller wants the response as JSON text (to forward it) rather than as a value. */
  asJson: boolean;
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
    // Calls made in one turn of the event loop (a busy gateway parses several requests per turn) go out in one write.
    this.publisher = new Redis({ ...redis, enableAutoPipelining: true });
    this.subscriber = new Redis(redis);
    this.subscriber.on('message', (_channel: string, message: string) => this.settle(message));
  }

  send<TResult>(pattern: string, request: RpcRequest, { timeoutMs }: { timeoutMs?: number } = {}): Promise<TResult> {
    return this.call(pattern, request, timeoutMs, false) as Promise<TResult>;
  }

  /**
   * The same call, answered with the response as JSON text, for a caller that passes it on as it is (the
   * gateway's HTTP answer): it is neither parsed nor encoded again on the way. Undefined when the handler
   * returned nothing.
   */
  sendForJson(pattern: string, request: RpcRequest, { timeoutMs }: { timeoutMs?: number } = {}): Promise<string | undefined> {
    return this.call(pattern, request, timeoutMs, true) as Promise<string | undefined>;
  }

  /** Tells `observer` about every call once it has ended (for metrics). */
  observe(observer: (call: FinishedCall) => void): void {
    this.observers.push(observer);
  }

  async close(): Promise<void> {
    for (const id of [...this.pending.keys()]) this.fail(id, ServiceError.unavailable('The gateway is shutting down'));
    await Promise.all([this.publisher, this.subscriber].map((connection) => connection.quit().catch(() => connection.disconnect())));
  }

  private async call(pattern: string, request: RpcRequest, timeoutMs: number | undefined, asJson: boolean): Promise<unknown> {
    const started = performance.now();
    const deadline = timeoutMs ?? this.options.timeoutMs;
    const id = randomUUID();
    const reply = new Promise<unknown>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(ServiceError.timeout(`No reply to ${pattern} within ${deadline} ms`));
      }, deadline);
      this.pending.set(id, { asJson, resolve, reject, timer });
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
    if (this.observers.length > 0) {
      const report = (outcome: FinishedCall['outcome']) => {
        for (const observer of this.observers) observer({ pattern, durationMs: performance.now() - started, outcome });
      };
      reply.then(
        () => report('ok'),
        (error: ServiceError) => report(error.code),
      );
    }
    return reply;
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
    // Replies to every gateway replica's calls on a pattern arrive here; most successful ones need no parse.
    const forwardable = forwardableReply(message);
    if (forwardable) {
      const call = this.pending.get(forwardable.id);
      if (!call) return;
      return this.resolve(forwardable.id, call, call.asJson ? forwardable.json : JSON.parse(forwardable.json));
    }
    let packet: ReplyPacket;
    try {
      packet = JSON.parse(message) as ReplyPacket;
    } catch {
      return;
    }
    const call = packet.id ? this.pending.get(packet.id) : undefined;
    if (!call || !packet.id) return;
    if (packet.err !== undefined && packet.err !== null) return this.fail(packet.id, toServiceError(packet.err));
    this.resolve(packet.id, call, call.asJson ? JSON.stringify(packet.response) : packet.response);
  }

  private resolve(id: string, call: PendingCall, value: unknown): void {
    this.pending.delete(id);
    clearTimeout(call.timer);
    call.resolve(value);
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
