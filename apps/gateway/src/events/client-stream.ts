import { EventEnvelope } from '@homehelper/contracts';
import { compareEventIds } from './event-ids';
import { canSee, Viewer } from './event-visibility';

export type HistoryReader = (sinceId: string, limit: number) => Promise<EventEnvelope[]>;

const REPLAY_PAGE = 500;

/**
 * Delivery to one client (a socket or an SSE response), in stream order and never twice. A client that
 * comes back with the id of the last event it saw first gets what it missed from history; live events that
 * arrive meanwhile wait in a buffer and follow.
 */
export class ClientStream {
  private lastId?: string;
  private pending: EventEnvelope[] | null = null;

  constructor(
    readonly viewer: Viewer,
    private readonly send: (event: EventEnvelope) => void,
    readonly close: () => void,
  ) {}

  offer(event: EventEnvelope): void {
    if (this.pending) this.pending.push(event);
    else this.deliver(event);
  }

  async replay(sinceId: string, readHistory: HistoryReader): Promise<void> {
    this.pending = [];
    this.lastId = sinceId;
    try {
      for (;;) {
        const page = await readHistory(this.lastId, REPLAY_PAGE);
        for (const event of page) this.deliver(event, true);
        if (page.length < REPLAY_PAGE) break;
        this.lastId = page[page.length - 1].id;
      }
    } finally {
      const buffered = this.pending;
      this.pending = null;
      for (const event of buffered) this.deliver(event);
    }
  }

  private deliver(event: EventEnvelope, fromHistory = false): void {
    if (this.lastId && compareEventIds(event.id, this.lastId) <= 0) return;
    if (fromHistory) this.lastId = event.id;
    if (!canSee(this.viewer, event)) return;
    this.lastId = event.id;
    this.send(event);
  }
}
