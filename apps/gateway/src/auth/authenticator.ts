import { Inject, Injectable } from '@nestjs/common';
import type { Actor } from '@homehelper/contracts';
import { AccessTokens } from './access-tokens';
import { UsersRepository } from './users.repository';

/** Turns a bearer token into the acting user, or null when the token or the account is not valid. */
@Injectable()
export class Authenticator {
  constructor(
    @Inject(AccessTokens) private readonly tokens: AccessTokens,
    @Inject(UsersRepository) private readonly users: UsersRepository,
  ) {}

  async authenticate(token: string | undefined): Promise<Actor | null> {
    const claims = token ? this.tokens.verify(token) : null;
    if (!claims) return null;
    const user = await this.users.findById(claims.sub);
    if (!user || !user.isActive) return null;
    return { userId: user.id, role: user.role };
  }
}

export function bearerToken(authorization: string | undefined): string | undefined {
  const match = authorization?.match(/^Bearer\s+(\S+)$/i);
  return match?.[1];
}
