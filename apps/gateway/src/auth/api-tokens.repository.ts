import { Inject, Injectable } from '@nestjs/common';
import { DataSource, LessThan, Repository } from 'typeorm';
import { ApiToken } from './api-token.entity';

const LAST_USED_RESOLUTION_MS = 60_000;

@Injectable()
export class ApiTokensRepository {
  private readonly tokens: Repository<ApiToken>;

  constructor(@Inject(DataSource) dataSource: DataSource) {
    this.tokens = dataSource.getRepository(ApiToken);
  }

  create(token: Pick<ApiToken, 'userId' | 'name' | 'tokenHash' | 'tokenPrefix' | 'expiresAt'>): Promise<ApiToken> {
    return this.tokens.save(this.tokens.create(token));
  }

  listForUser(userId: string): Promise<ApiToken[]> {
    return this.tokens.find({ where: { userId }, order: { createdAt: 'DESC' } });
  }

  findByHash(tokenHash: string): Promise<ApiToken | null> {
    return this.tokens.findOneBy({ tokenHash });
  }

  /** Deletes the user's token; false when there is no such token of theirs. */
  async delete(userId: string, id: string): Promise<boolean> {
    const result = await this.tokens.delete({ id, userId });
    return (result.affected ?? 0) > 0;
  }

  /** Deletes every token that expired before `cutoff`; says how many. */
  async deleteExpiredBefore(cutoff: Date): Promise<number> {
    const result = await this.tokens.delete({ expiresAt: LessThan(cutoff) });
    return result.affected ?? 0;
  }

  /** Records use at most once a minute per token, so a busy script does not write on every request. */
  async touch(token: ApiToken, now: Date): Promise<void> {
    if (token.lastUsedAt && now.getTime() - token.lastUsedAt.getTime() < LAST_USED_RESOLUTION_MS) return;
    await this.tokens.update({ id: token.id }, { lastUsedAt: now });
  }
}
