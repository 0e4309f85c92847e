import { Global, Module } from '@nestjs/common';
import { AuthRateLimitInterceptor } from './auth-rate-limit.interceptor';
import { RateLimitStore } from './rate-limit.store';
import { RateLimits } from './rate-limits';

/**
 * Redis-backed rate limits shared by every gateway replica. Global: inject RateLimits anywhere (for
 * example `consumeTokenBudget(tokenId)` in the auth guard); put @AuthRateLimit() on login-like handlers.
 */
@Global()
@Module({
  providers: [RateLimitStore, RateLimits, AuthRateLimitInterceptor],
  exports: [RateLimits, AuthRateLimitInterceptor],
})
export class RateLimitModule {}
