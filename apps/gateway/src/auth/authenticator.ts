import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import type { Actor } from '@homehelper/contracts';
import { AccessTokens } from './access-tokens';
import { hashApiToken, looksLikeApiToken } from './api-token-secrets';
import { ApiTokensRepository } from './api-tokens.repository';
import { CredentialRevocations } from './credential-revocations';
import { IdentityCache } from './identity-cache';
import { UsersRepository } from './users.repository';

/**
 * How long a user's identity read for one request serves the following ones. Changes made through the gateway
 * reach every replica's cache at once (CredentialRevocations); this bounds only what nobody announced (an
 * account switched off in the database by hand).
 */
const IDENTITY_TTL_MS = 5_000;
const IDENTITY_CACHE_MAX = 10_000;

/** Who is calling, and with which credential: a JWT access token, or a personal API token (`tokenId`). */
export interface Principal {
  actor: Actor;
  tokenId?: string;
  /** When the credential stops being valid; open streams are closed then. */
  expiresAt?: Date;
}

/** Turns a bearer token (JWT or API token) into its principal, or null when the token or the account is not valid. */
@Injectable()
export class Authenticator implements OnModuleInit {
  private readonly identities = new IdentityCache(IDENTITY_TTL_MS, IDENTITY_CACHE_MAX);

  constructor(
    @Inject(AccessTokens) private readonly accessTokens: AccessTokens,
    @Inject(ApiTokensRepository) private readonly apiTokens: ApiTokensRepository,
    @Inject(UsersRepository) private readonly users: UsersRepository,
    @Inject(CredentialRevocations) private readonly revocations: CredentialRevocations,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.revocations.onIdentityChanged((userId) => this.identities.forget(userId));
  }

  async authenticate(token: string | undefined): Promise<Principal | null> {
    if (!token) return null;
    return looksLikeApiToken(token) ? this.fromApiToken(token) : this.fromAccessToken(token);
  }

  /** After changing a user's role, time zone or activity: no replica authenticates them with the old one again. */
  async identityChanged(userId: string): Promise<void> {
    this.identities.forget(userId);
    await this.revocations.announceIdentityChange(userId);
  }

  private async fromAccessToken(token: string): Promise<Principal | null> {
    const claims = this.accessTokens.verify(token);
    const actor = claims ? await this.activeActor(claims.sub) : null;
    return actor && claims ? { actor, expiresAt: claims.expiresAt } : null;
  }

  private async fromApiToken(token: string): Promise<Principal | null> {
    const now = new Date();
    const record = await this.apiTokens.findByHash(hashApiToken(token));
    if (!record || (record.expiresAt && record.expiresAt <= now)) return null;
    const actor = await this.activeActor(record.userId);
    if (!actor) return null;
    await this.apiTokens.touch(record, now);
    return { actor, tokenId: record.id, ...(record.expiresAt ? { expiresAt: record.expiresAt } : {}) };
  }

  /** The user's identity if the account is active; cached only while changes to it would be heard. */
  private async activeActor(userId: string): Promise<Actor | null> {
    const listening = this.revocations.listening;
    if (listening) {
      const cached = this.identities.get(userId, Date.now());
      if (cached !== undefined) return cached;
    }
    const readStartedAt = this.identities.beginRead();
    const user = await this.users.findIdentity(userId);
    const actor = user?.isActive ? { userId: user.id, role: user.role, timezone: user.timezone } : null;
    if (listening && this.revocations.listening) this.identities.set(userId, actor, readStartedAt, Date.now());
    return actor;
  }
}

export function bearerToken(authorization: string | undefined): string | undefined {
  const match = authorization?.match(/^Bearer\s+(\S+)$/i);
  return match?.[1];
}
