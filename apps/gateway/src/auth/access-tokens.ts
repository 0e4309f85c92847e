import { createSecretKey, KeyObject } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import * as jwt from 'jsonwebtoken';
import { AppConfig } from '@homehelper/config';
import type { UserRole } from '@homehelper/contracts';

/** Verified tokens remembered at most (all are forgotten when it is reached; each costs about 0.3 KB). */
const VERIFIED_TOKENS_KEPT = 10_000;

export interface AccessTokenClaims {
  sub: string;
  role: UserRole;
}

export interface VerifiedClaims extends AccessTokenClaims {
  expiresAt: Date;
}

/** Signs and checks the short-lived JWT access tokens (HS256). */
@Injectable()
export class AccessTokens {
  /**
   * Built once: given the secret as a string, jsonwebtoken first tries to read it as a public key on every
   * call, which cost about 0.5 ms a request.
   */
  private readonly key: KeyObject;
  /**
   * Tokens already verified, with their claims: a client sends the same token with every request, and
   * checking its signature again would only say the same (expiry is still checked on each use).
   */
  private readonly verified = new Map<string, VerifiedClaims>();

  constructor(@Inject(AppConfig) private readonly config: AppConfig) {
    this.key = createSecretKey(Buffer.from(config.jwtSecret, 'utf8'));
  }

  issue(claims: AccessTokenClaims): { accessToken: string; expiresIn: number } {
    const accessToken = jwt.sign({ role: claims.role }, this.key, {
      algorithm: 'HS256',
      subject: claims.sub,
      expiresIn: this.config.jwtTtlSeconds,
      issuer: 'homehelper',
    });
    return { accessToken, expiresIn: this.config.jwtTtlSeconds };
  }

  /** The claims of a valid, unexpired token; null for anything else. */
  verify(token: string): VerifiedClaims | null {
    const known = this.verified.get(token);
    if (known) {
      if (known.expiresAt.getTime() > Date.now()) return known;
      this.verified.delete(token);
      return null;
    }
    const claims = this.check(token);
    if (claims) {
      if (this.verified.size >= VERIFIED_TOKENS_KEPT) this.verified.clear();
      this.verified.set(token, claims);
    }
    return claims;
  }

  private check(token: string): VerifiedClaims | null {
    try {
      const payload = jwt.verify(token, this.key, { algorithms: ['HS256'], issuer: 'homehelper' });
      if (typeof payload === 'string' || typeof payload.sub !== 'string' || typeof payload.exp !== 'number') return null;
      return { sub: payload.sub, role: payload.role === 'admin' ? 'admin' : 'user', expiresAt: new Date(payload.exp * 1000) };
    } catch {
      return null;
    }
  }
}
