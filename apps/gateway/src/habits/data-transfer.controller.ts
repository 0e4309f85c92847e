import { Body, Controller, Get, Inject, Post, Res, UseGuards } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import type { z } from 'zod';
import {
  Actor,
  habitDataSchema,
  habitDataV1Schema,
  HabitDataDocument,
  HabitDataImportSummary,
  loopImportSchema,
  LoopImportRequest,
  RpcPatterns,
} from '@homehelper/contracts';
import { RpcClient, ServiceError } from '@homehelper/bus';
import { AuthGuard, CurrentActor } from '../auth/auth.guard';
import { ZodBody } from '../http/zod-body.pipe';
import { ZodApiBody } from '../openapi/zod-api-body';

/**
 * An export or import of years of history is more work than one quick RPC: it gets this long instead of
 * RPC_TIMEOUT_MS. (A stopped habit-service still answers `unavailable` at once.)
 */
const TRANSFER_TIMEOUT_MS = 60_000;

/** Problems listed in a 400: enough to fix a document; a broken 10 MB file must not answer with 10 MB. */
const MAX_PROBLEMS = 50;

/** ZodBody that lists at most MAX_PROBLEMS problems (the OpenAPI document still reads its schema). */
class BoundedZodBody<TSchema extends z.ZodType> extends ZodBody<TSchema> {
  override transform(value: unknown): z.infer<TSchema> {
    try {
      return super.transform(value);
    } catch (error) {
      if (!(error instanceof ServiceError) || !Array.isArray(error.details) || error.details.length <= MAX_PROBLEMS) throw error;
      const more = { field: '(body)', problem: `and ${error.details.length - MAX_PROBLEMS} more problems` };
      throw ServiceError.validationFailed(error.message, [...error.details.slice(0, MAX_PROBLEMS), more]);
    }
  }
}

/**
 * Export and import of the caller's habit data. The import routes take bodies up to 10 MB (their own body
 * parser, see http/security.ts); every other route keeps BODY_LIMIT_KB.
 */
@Controller('api')
@UseGuards(AuthGuard)
export class DataTransferController {
  constructor(@Inject(RpcClient) private readonly rpc: RpcClient) {}

  /** All of the caller's habits, pauses, logs and goals as one JSON document (format homehelper-habits, version 1). */
  @Get('export')
  async export(@CurrentActor() actor: Actor, @Res({ passthrough: true }) reply: FastifyReply): Promise<HabitDataDocument> {
    const document = await this.send<HabitDataDocument>(RpcPatterns.dataTransfer.export, actor, {});
    void reply.header('Content-Disposition', `attachment; filename="homehelper-habits-${document.exportedAt.slice(0, 10)}.json"`);
    return document;
  }

  /** Restores an export into an account without habits or goals (409 otherwise); all or nothing. */
  @Post('import')
  @ZodApiBody(habitDataV1Schema, { description: 'A document from GET /api/export' })
  import(@CurrentActor() actor: Actor, @Body(new BoundedZodBody(habitDataSchema)) document: HabitDataDocument): Promise<HabitDataImportSummary> {
    return this.send(RpcPatterns.dataTransfer.import, actor, document);
  }

  /** Loop Habit Tracker's CSV export: Habits.csv and each habit's Checkmarks.csv by habit name. */
  @Post('import/loop')
  importLoop(@CurrentActor() actor: Actor, @Body(new BoundedZodBody(loopImportSchema)) body: LoopImportRequest): Promise<HabitDataImportSummary> {
    return this.send(RpcPatterns.dataTransfer.importLoop, actor, body);
  }

  private send<TResult>(pattern: string, actor: Actor, payload: unknown): Promise<TResult> {
    return this.rpc.send<TResult>(pattern, { actor, payload }, { timeoutMs: TRANSFER_TIMEOUT_MS });
  }
}
