import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { EventEnvelope } from '@homehelper/contracts';
import { EventBus } from '@homehelper/bus';
import { CredentialRevocations } from '../auth/credential-revocations';
import { GatewayMetrics } from '../observability/gateway-metrics';
import { ClientStream } from './client-stream';
import { Viewer } from './event-visibility';

// setTimeout cannot wait longer than about 24.8 days.
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Every client connected to this gateway replica, socket or SSE. Each replica hands each bus event to its
 * own clients only, so with several replicas every client still receives every event exactly once.
 * Streams end when their credential expires or is revoked.
 */
@Injectable()
export class LiveStreams implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly streams = new Set<ClientStream>();
  private readonly expiryTimers = new Map<ClientStream, NodeJS.Timeout>();
  private stopForwarding?: () => Promise<void>;

  constructor(
    @Inject(EventBus) private readonly events: EventBus,
    @Inject(CredentialRevocations) private readonly revocations: CredentialRevocations,
    @Inject(GatewayMetrics) private readonly metrics: GatewayMetrics,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.stopForwarding = await this.events.subscribe('*', (event) => this.forward(event));
    await this.revocations.onRevoked(({ tokenId }) => {
      for (const stream of this.streams) if (stream.viewer.principal.tokenId === tokenId) stream.close();
    });
  }

  /** A new client stream, registered: it receives live events from now on. */
  open(viewer: Viewer, send: (event: EventEnvelope) => void, close: () => void): ClientStream {
    const stream = new ClientStream(
      viewer,
      (event) => {
        send(event);
        this.metrics.eventForwarded(event.type);
      },
      close,
    );
    this.add(stream);
    return stream;
  }

  private add(stream: ClientStream): void {
    this.streams.add(stream);
    const expiresAt = stream.viewer.principal.expiresAt;
    if (expiresAt) {
      const timer = setTimeout(() => stream.close(), Math.min(MAX_TIMER_MS, Math.max(0, expiresAt.getTime() - Date.now())));
      this.expiryTimers.set(stream, timer);
    }
  }

  remove(stream: ClientStream): void {
    this.streams.delete(stream);
    clearTimeout(this.expiryTimers.get(stream));
    this.expiryTimers.delete(stream);
  }

  readHistory = (sinceId: string, limit: number): Promise<EventEnvelope[]> => this.events.history({ sinceId, limit });

  async onApplicationShutdown(): Promise<void> {
    await this.stopForwarding?.();
    for (const stream of [...this.streams]) stream.close();
  }

  private forward(event: EventEnvelope): void {
    for (const stream of this.streams) stream.offer(event);
  }
}
