import { ServiceError } from '@homehelper/bus';

/** 429 `rate_limited`: the caller has spent this window's budget; its answer carries `Retry-After` (errorAnswer). */
export class RateLimitedError extends ServiceError {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super('rate_limited', message, { retryAfterSeconds });
  }
}
