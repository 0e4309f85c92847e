import { Controller, Get, HttpCode, Inject, Param, Post, UseGuards } from '@nestjs/common';
import { ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { Actor, AppIdRequest, RpcPatterns, UiAppView, UiTouchRequest } from '@homehelper/contracts';
import { RpcClient } from '@homehelper/bus';
import { AdminGuard } from '../apps/admin.guard';
import { AuthGuard, CurrentActor } from '../auth/auth.guard';
import { ApiErrorResponses } from '../openapi/api-errors';
import { AppRoutes } from '../proxy/app-routes';
import { appId, AppIdParam } from './app-id.pipe';

/** Stopping waits for the app's process group to be gone (SIGTERM, then SIGKILL after the grace period). */
const STOP_TIMEOUT_MS = 30_000;

/**
 * The on-demand UI apps (`type: "streamlit"`), for every signed-in user; stopping one for everybody is for
 * admins. Forwarded to the ui-manager; opening goes through the proxy's AppRoutes, so the app's port is
 * known to the proxy at once and an open shares the one in flight for the same app.
 */
@Controller('api/ui')
@UseGuards(AuthGuard)
@ApiErrorResponses('unavailable', 'timeout')
export class UiController {
  constructor(
    @Inject(RpcClient) private readonly rpc: RpcClient,
    @Inject(AppRoutes) private readonly routes: AppRoutes,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Every UI app: state, port, URL, last activity, seconds to expiry' })
  @ApiOkResponse({ description: 'UiAppView[]' })
  list(@CurrentActor() actor: Actor): Promise<UiAppView[]> {
    return this.rpc.send<UiAppView[]>(RpcPatterns.ui.list, { actor, payload: {} });
  }

  @Post(':id/open')
  @HttpCode(200)
  @AppIdParam()
  @ApiOperation({ summary: 'Start the UI app unless it runs; answers once it is ready (up to 60 s, then 504 while it goes on starting)' })
  @ApiOkResponse({ description: 'UiAppView of the running app, with its url (/apps/<id>/)' })
  open(@CurrentActor() actor: Actor, @Param('id', appId) id: string): Promise<UiAppView> {
    return this.routes.open(id, actor);
  }

  @Post(':id/touch')
  @HttpCode(200)
  @AppIdParam()
  @ApiOperation({ summary: 'Count as traffic now: a running UI app’s idle deadline starts over' })
  @ApiOkResponse({ description: '{ touched: [<id>] } when it runs, { touched: [] } otherwise' })
  touch(@CurrentActor() actor: Actor, @Param('id', appId) id: string): Promise<{ touched: string[] }> {
    return this.rpc.send<{ touched: string[] }>(RpcPatterns.ui.touch, { actor, payload: { appIds: [id] } satisfies UiTouchRequest });
  }

  @Post(':id/stop')
  @HttpCode(200)
  @UseGuards(AdminGuard)
  @AppIdParam()
  @ApiOperation({ summary: 'Stop the UI app now, for everybody (admins)' })
  @ApiErrorResponses('forbidden')
  @ApiOkResponse({ description: 'UiAppView after the stop' })
  async stop(@CurrentActor() actor: Actor, @Param('id', appId) id: string): Promise<UiAppView> {
    const view = await this.rpc.send<UiAppView>(RpcPatterns.ui.stop, { actor, payload: { appId: id } satisfies AppIdRequest }, { timeoutMs: STOP_TIMEOUT_MS });
    this.routes.forget(id);
    return view;
  }
}
