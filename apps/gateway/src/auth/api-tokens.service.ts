import { Inject, Injectable } from '@nestjs/common';
import type { Actor } from '@homehelper/contracts';
import { ServiceError } from '@homehelper/bus';
import { ApiToken } from './api-token.entity';
import { newApiTokenSecret } from './api-token-secrets';
import { ApiTokensRepository } from './api-tokens.repository';
import { CredentialRevocations } from './credential-revocations';
import { CreateApiTokenDto } from './dto/api-tokens.dto';

export interface ApiTokenView {
  id: string;
  name: string;
  prefix: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  createdAt: string;
}

@Injectable()
export class ApiTokensService {
  constructor(
    @Inject(ApiTokensRepository) private readonly tokens: ApiTokensRepository,
    @Inject(CredentialRevocations) private readonly revocations: CredentialRevocations,
  ) {}

  /** The token itself is in this answer only; HomeHelper keeps just its hash. */
  async create(actor: Actor, dto: CreateApiTokenDto): Promise<ApiTokenView & { token: string }> {
    const secret = newApiTokenSecret();
    const record = await this.tokens.create({
      userId: actor.userId,
      name: dto.name,
      tokenHash: secret.hash,
      tokenPrefix: secret.prefix,
      expiresAt: dto.expiresAt ?? null,
    });
    return { ...toView(record), token: secret.token };
  }

  async list(actor: Actor): Promise<ApiTokenView[]> {
    return (await this.tokens.listForUser(actor.userId)).map(toView);
  }

  async revoke(actor: Actor, id: string): Promise<void> {
    const deleted = await this.tokens.delete(actor.userId, id);
    if (!deleted) throw ServiceError.notFound('No such API token');
    await this.revocations.announce({ kind: 'api_token', tokenId: id });
  }
}

function toView(token: ApiToken): ApiTokenView {
  return {
    id: token.id,
    name: token.name,
    prefix: token.tokenPrefix,
    expiresAt: token.expiresAt?.toISOString() ?? null,
    lastUsedAt: token.lastUsedAt?.toISOString() ?? null,
    createdAt: token.createdAt.toISOString(),
  };
}
