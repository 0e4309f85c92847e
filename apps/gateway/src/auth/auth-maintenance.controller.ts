import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { JobCounts, PruneRequest, RpcPatterns, RpcRequest } from '@homehelper/contracts';
import { ServiceError } from '@homehelper/bus';
import { ApiTokensRepository } from './api-tokens.repository';

/** An expired API token stays in its owner's list this long: its past `expiresAt` tells them why it stopped working. */
const KEEP_EXPIRED_TOKENS_DAYS = 30;
const DAY_MS = 24 * 60 * 60 * 1000;

/** What the scheduler's daily maintenance prunes of the gateway's: API tokens long expired. */
@Controller()
export class AuthMaintenanceController {
  constructor(@Inject(ApiTokensRepository) private readonly tokens: ApiTokensRepository) {}

  @MessagePattern(RpcPatterns.maintenancePrune('gateway'))
  async prune(@Payload() request: RpcRequest<Partial<Record<keyof PruneRequest, unknown>>>): Promise<JobCounts> {
    const at = typeof request?.payload?.at === 'string' ? new Date(request.payload.at) : new Date(NaN);
    if (Number.isNaN(at.getTime())) throw ServiceError.validationFailed('at must be an ISO 8601 time');
    return { expiredApiTokens: await this.tokens.deleteExpiredBefore(new Date(at.getTime() - KEEP_EXPIRED_TOKENS_DAYS * DAY_MS)) };
  }
}
