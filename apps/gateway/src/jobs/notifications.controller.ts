import { Body, Controller, Get, Inject, Put, UseGuards } from '@nestjs/common';
import { ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { Actor, NotificationSettings, notificationSettingsSchema, RpcPatterns } from '@homehelper/contracts';
import { AuthGuard, CurrentActor } from '../auth/auth.guard';
import { ServiceClient } from '../http/service-client';
import { ZodBody } from '../http/zod-body.pipe';
import { ApiErrorResponses } from '../openapi/api-errors';
import { ZodApiBody } from '../openapi/zod-api-body';

/** Where the caller's nudges and risk alerts go besides the socket: an ntfy topic, a webhook. Kept by the scheduler. */
@Controller('api/auth/me/notifications')
@UseGuards(AuthGuard)
@ApiErrorResponses('unavailable', 'timeout')
export class NotificationsController {
  constructor(@Inject(ServiceClient) private readonly services: ServiceClient) {}

  @Get()
  @ApiOperation({ summary: 'Your ntfy topic URL and webhook URL (null when not set)' })
  @ApiOkResponse({ description: 'NotificationSettings' })
  get(@CurrentActor() actor: Actor): Promise<NotificationSettings> {
    return this.services.call(RpcPatterns.notifications.get, actor);
  }

  @Put()
  @ZodApiBody(notificationSettingsSchema)
  @ApiOperation({ summary: 'Set where nudges and risk alerts are delivered (null turns a channel off)' })
  @ApiOkResponse({ description: 'NotificationSettings' })
  put(@CurrentActor() actor: Actor, @Body(new ZodBody(notificationSettingsSchema)) settings: NotificationSettings): Promise<NotificationSettings> {
    return this.services.call(RpcPatterns.notifications.update, actor, settings);
  }
}
