import { Inject, Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '@homehelper/config';
import { ServiceError } from '@homehelper/bus';
import { accountKey, clientAddressKey } from './client-keys';
import { RateLimitedError } from './rate-limited.error';
import { RateLimitStore } from './rate-limit.store';

const MINUTE_MS = 60_000;

/** What an attempt at an auth endpoint is: its limits and the account bucket it counts against. */
export type AuthAttempt = 'login' | 'register';

/**
 * HomeHelper's rate limits, each a budget per minute:
 * - attempts at login and registration per client address (AUTH_RATE_LIMIT_PER_IP, both endpoints share it);
 * - attempts per account email (AUTH_RATE_LIMIT_PER_ACCOUNT; a successful login is taken back, so only
 *   failed logins use it up), counted alike whether or not the account exists;
 * - requests per personal API token (TOKEN_RATE_LIMIT_PER_MINUTE).
 * Over budget, the call throws RateLimitedError: 429 `rate_limited` with `Retry-After`.
 */
@Injectable()
export class RateLimits {
  private readonly logger = new Logger('RateLimits');

  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(RateLimitStore) private readonly store: RateLimitStore,
  ) {}

  /** Counts one attempt at an auth endpoint from `clientAddress` (and for `email`, when the body has one). */
  async hitAuthAttempt(attempt: AuthAttempt, clientAddress: string | undefined, email: string | null): Promise<void> {
    await this.spend(`auth:ip:${clientAddressKey(clientAddress)}`, this.config.authRateLimitPerIp, 'Too many sign-in attempts from this address');
    if (email !== null) {
      await this.spend(`${attempt}:account:${accountKey(email)}`, this.config.authRateLimitPerAccount, 'Too many attempts for this account');
    }
  }

  /**
   * Takes back the account attempt of a login that succeeded: only failed logins count against an account.
   * The login stands even if Redis fails here; the attempt then simply stays counted.
   */
  async forgiveLogin(email: string): Promise<void> {
    await this.store.refund(`login:account:${accountKey(email)}`).catch((error: unknown) => {
      this.logger.warn(`Could not take back a successful login's attempt: ${(error as Error).message}`);
    });
  }

  /**
   * Spends one request of an API token's budget (TOKEN_RATE_LIMIT_PER_MINUTE); throws RateLimitedError
   * (429 with Retry-After) once this minute's budget is spent.
   */
  async consumeTokenBudget(tokenId: string): Promise<void> {
    await this.spend(`token:${tokenId}`, this.config.tokenRateLimitPerMinute, 'This API token has used up its requests for this minute');
  }

  private async spend(key: string, limit: number, message: string): Promise<void> {
    const { count, resetsInMs } = await this.guarded(() => this.store.hit(key, MINUTE_MS));
    if (count <= limit) return;
    const retryAfterSeconds = Math.max(1, Math.ceil(resetsInMs / 1000));
    throw new RateLimitedError(`${message}; try again in ${retryAfterSeconds} s`, retryAfterSeconds);
  }

  /** Without Redis no limit can be enforced, and the gateway cannot serve anyway: 503, never a hang or a 500. */
  private async guarded<T>(operation: () => Promise<T>): Promise<T> {
    try {
      return await operation();
    } catch (error) {
      this.logger.warn(`Rate limits unavailable: ${(error as Error).message}`);
      throw ServiceError.unavailable('Rate limiting is unavailable; try again shortly');
    }
  }
}
