import { applyDecorators, Controller, Get, HttpCode, Inject, Param, PipeTransform, Post, Query, UseGuards } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam } from '@nestjs/swagger';
import {
  Actor,
  AppIdRequest,
  appIdParamSchema,
  AppLogBatch,
  AppLogsQuery,
  appLogsQuerySchema,
  AppLogsRequest,
  AppView,
  DiscoverResult,
  RpcPatterns,
} from '@homehelper/contracts';
import { RpcClient, ServiceError } from '@homehelper/bus';
import { AuthGuard, CurrentActor } from '../auth/auth.guard';
import { ZodQuery } from '../http/zod-body.pipe';
import { ApiErrorResponses } from '../openapi/api-errors';
import { zodRequestSchema } from '../openapi/zod-api-body';
import { AdminGuard } from './admin.guard';

/**
 * The app-manager answers start and restart once the app passes its first health probe (or fails), and stop
 * once the process group is gone (SIGTERM, then SIGKILL after the grace period): more than RPC_TIMEOUT_MS.
 * Bounded still, so a request never hangs for a whole start period (up to an hour): past these the caller
 * gets 504 while the app-manager carries on, and the `apps` events tell how it ended.
 */
const STOP_TIMEOUT_MS = 30_000;
const START_TIMEOUT_MS = 60_000;

/** An id that cannot name an app is refused with 400 before anything is asked of the app-manager. */
class AppIdPipe implements PipeTransform<unknown, string> {
  transform(value: unknown): string {
    const parsed = appIdParamSchema.safeParse(value);
    if (parsed.success) return parsed.data;
    throw ServiceError.validationFailed('The app id is not valid', parsed.error.issues.map((issue) => ({ field: 'id', problem: issue.message })));
  }
}

const appId = new AppIdPipe();

/** The `{id}` path parameter, documented from the schema that checks it, with the 400 and 404 it can cause. */
const AppIdParam = () =>
  applyDecorators(ApiParam({ name: 'id', schema: zodRequestSchema(appIdParamSchema), description: 'The app id' }), ApiErrorResponses('validation_failed', 'not_found'));

/** Managed apps (DESIGN §5), admins only; every call is forwarded to the app-manager. */
@Controller('api/apps')
@UseGuards(AuthGuard, AdminGuard)
@ApiErrorResponses('forbidden', 'unavailable', 'timeout')
export class AppsController {
  constructor(@Inject(RpcClient) private readonly rpc: RpcClient) {}

  @Get()
  @ApiOperation({ summary: 'Every managed app, invalid manifests included (with their reasons)' })
  @ApiOkResponse({ description: 'AppView[]' })
  list(@CurrentActor() actor: Actor): Promise<AppView[]> {
    return this.send(RpcPatterns.apps.list, actor, {});
  }

  @Post('discover')
  @HttpCode(200)
  @ApiOperation({ summary: 'Re-scan the apps folder now' })
  @ApiOkResponse({ description: 'What changed: { added, changed, removed, invalid } (app ids)' })
  discover(@CurrentActor() actor: Actor): Promise<DiscoverResult> {
    return this.send(RpcPatterns.apps.discover, actor, {});
  }

  @Get(':id')
  @AppIdParam()
  @ApiOperation({ summary: 'One managed app' })
  @ApiOkResponse({ description: 'AppView' })
  get(@CurrentActor() actor: Actor, @Param('id', appId) id: string): Promise<AppView> {
    return this.send<AppIdRequest, AppView>(RpcPatterns.apps.get, actor, { appId: id });
  }

  @Post(':id/start')
  @HttpCode(200)
  @AppIdParam()
  @ApiOperation({ summary: 'Start the app; answers once the app-manager has started it (409 if it cannot run)' })
  @ApiErrorResponses('conflict')
  @ApiOkResponse({ description: 'AppView after the start' })
  start(@CurrentActor() actor: Actor, @Param('id', appId) id: string): Promise<AppView> {
    return this.send<AppIdRequest, AppView>(RpcPatterns.apps.start, actor, { appId: id }, START_TIMEOUT_MS);
  }

  @Post(':id/stop')
  @HttpCode(200)
  @AppIdParam()
  @ApiOperation({ summary: 'Stop the app (SIGTERM to its process group, SIGKILL after the grace period)' })
  @ApiOkResponse({ description: 'AppView after the stop' })
  stop(@CurrentActor() actor: Actor, @Param('id', appId) id: string): Promise<AppView> {
    return this.send<AppIdRequest, AppView>(RpcPatterns.apps.stop, actor, { appId: id }, STOP_TIMEOUT_MS);
  }

  @Post(':id/restart')
  @HttpCode(200)
  @AppIdParam()
  @ApiOperation({ summary: 'Stop, then start the app' })
  @ApiErrorResponses('conflict')
  @ApiOkResponse({ description: 'AppView after the restart' })
  restart(@CurrentActor() actor: Actor, @Param('id', appId) id: string): Promise<AppView> {
    return this.send<AppIdRequest, AppView>(RpcPatterns.apps.restart, actor, { appId: id }, STOP_TIMEOUT_MS + START_TIMEOUT_MS);
  }

  @Get(':id/logs')
  @AppIdParam()
  @ApiOperation({ summary: "The last lines of the app's output (live lines: `subscribe_logs` on the socket)" })
  @ApiOkResponse({ description: '{ appId, lines } (oldest first)' })
  logs(@CurrentActor() actor: Actor, @Param('id', appId) id: string, @Query(new ZodQuery(appLogsQuerySchema)) query: AppLogsQuery): Promise<AppLogBatch> {
    return this.send<AppLogsRequest, AppLogBatch>(RpcPatterns.apps.logs, actor, { appId: id, tail: query.tail });
  }

  /** Like ServiceClient.call, with a deadline of its own for the lifecycle actions. */
  private send<TPayload, TResult>(pattern: string, actor: Actor, payload: TPayload, timeoutMs?: number): Promise<TResult> {
    return this.rpc.send<TResult>(pattern, { actor, payload }, timeoutMs === undefined ? {} : { timeoutMs });
  }
}
