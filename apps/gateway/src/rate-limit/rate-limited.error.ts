import { ServiceError } from '@homehelper/bus';

/** 429 `rate_limited`: the caller has spent this window's budget; RateLimitedFilter adds `Retry-After`. */
export class RateLimitedError extends ServiceError {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super('rate_limited', message, { retryAfterSeconds });
  }
}
