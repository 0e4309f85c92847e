import { Inject, Injectable } from '@nestjs/common';
import type { Actor } from '@homehelper/contracts';
import { AccessTokens } from './access-tokens';
import { hashApiToken, looksLikeApiToken } from './api-token-secrets';
import { ApiTokensRepository } from './api-tokens.repository';
import { UsersRepository } from './users.repository';

/** Who is calling, and with which credential: a JWT access token, or a personal API token (`tokenId`). */
export interface Principal {
  actor: Actor;
  tokenId?: string;
  /** When the credential stops being valid; open streams are closed then. */
  expiresAt?: Date;
}

/** Turns a bearer token (JWT or API token) into its principal, or null when the token or the account is not valid. */
@Injectable()
export class Authenticator {
  constructor(
    @Inject(AccessTokens) private readonly accessTokens: AccessTokens,
    @Inject(ApiTokensRepository) private readonly apiTokens: ApiTokensRepository,
    @Inject(UsersRepository) private readonly users: UsersRepository,
  ) {}

  async authenticate(token: string | undefined): Promise<Principal | null> {
    if (!token) return null;
    return looksLikeApiToken(token) ? this.fromApiToken(token) : this.fromAccessToken(token);
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

  private async activeActor(userId: string): Promise<Actor | null> {
    const user = await this.users.findIdentity(userId);
    return user?.isActive ? { userId: user.id, role: user.role, timezone: user.timezone } : null;
  }
}

export function bearerToken(authorization: string | undefined): string | undefined {
  const match = authorization?.match(/^Bearer\s+(\S+)$/i);
  return match?.[1];
}
