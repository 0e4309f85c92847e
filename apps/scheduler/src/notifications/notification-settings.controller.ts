import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { NotificationSettings, notificationSettingsSchema, RpcPatterns, RpcRequest } from '@homehelper/contracts';
import { ServiceError } from '@homehelper/bus';
import { NotificationSettingsRepository } from './notification-settings.repository';

function userIdOf(request: RpcRequest): string {
  const userId = request?.actor?.userId;
  if (!userId) throw ServiceError.unauthenticated('The request carries no user');
  return userId;
}

/** Each user's own delivery settings (`GET`/`PUT /api/auth/me/notifications`). */
@Controller()
export class NotificationSettingsController {
  constructor(@Inject(NotificationSettingsRepository) private readonly settings: NotificationSettingsRepository) {}

  @MessagePattern(RpcPatterns.notifications.get)
  get(@Payload() request: RpcRequest): Promise<NotificationSettings> {
    return this.settings.get(userIdOf(request));
  }

  @MessagePattern(RpcPatterns.notifications.update)
  update(@Payload() request: RpcRequest<unknown>): Promise<NotificationSettings> {
    const userId = userIdOf(request);
    const parsed = notificationSettingsSchema.safeParse(request.payload);
    if (!parsed.success) {
      throw ServiceError.validationFailed('The notification settings are not valid', parsed.error.issues.map((issue) => ({ field: issue.path.join('.'), problem: issue.message })));
    }
    return this.settings.put(userId, parsed.data);
  }
}
