import type { Actor } from '@homehelper/contracts';

interface Entry {
  actor: Actor | null;
  expiresAt: number;
}

/**
 * The identities (id, role, time zone; null for an inactive account) that requests authenticated with lately,
 * so that a busy client does not cost a database read per request. Entries live `ttlMs` at most and go at once
 * when told that the user changed. A read that was under way while a change was announced is not kept: it may
 * have seen the row before the change.
 */
export class IdentityCache {
  private readonly entries = new Map<string, Entry>();
  /** Moves on every forget: a read started before it may be stale. */
  private generation = 0;

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries: number,
  ) {}

  /** The cached identity (null: known inactive or absent), or undefined when it must be read. */
  get(userId: string, now: number): Actor | null | undefined {
    const entry = this.entries.get(userId);
    if (!entry) return undefined;
    if (entry.expiresAt > now) return entry.actor;
    this.entries.delete(userId);
    return undefined;
  }

  /** A token to pass to `set` after reading the identity from the database. */
  beginRead(): number {
    return this.generation;
  }

  set(userId: string, actor: Actor | null, readStartedAt: number, now: number): void {
    if (readStartedAt !== this.generation) return;
    if (this.entries.size >= this.maxEntries) this.entries.clear();
    this.entries.set(userId, { actor, expiresAt: now + this.ttlMs });
  }

  /** Forgets one user's identity, or everyone's (null). */
  forget(userId: string | null): void {
    this.generation += 1;
    if (userId === null) this.entries.clear();
    else this.entries.delete(userId);
  }
}
