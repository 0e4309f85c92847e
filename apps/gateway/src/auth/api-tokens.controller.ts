import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, UseGuards } from '@nestjs/common';
import type { Actor } from '@homehelper/contracts';
import { resourceId } from '../http/service-client';
import { ZodBody } from '../http/zod-body.pipe';
import { AuthGuard, CurrentActor } from './auth.guard';
import { ApiTokensService, ApiTokenView } from './api-tokens.service';
import { CreateApiTokenDto, createApiTokenSchema } from './dto/api-tokens.dto';

@Controller('api/auth/tokens')
@UseGuards(AuthGuard)
export class ApiTokensController {
  constructor(@Inject(ApiTokensService) private readonly tokens: ApiTokensService) {}

  @Post()
  create(@CurrentActor() actor: Actor, @Body(new ZodBody(createApiTokenSchema)) dto: CreateApiTokenDto) {
    return this.tokens.create(actor, dto);
  }

  @Get()
  list(@CurrentActor() actor: Actor): Promise<ApiTokenView[]> {
    return this.tokens.list(actor);
  }

  @Delete(':id')
  @HttpCode(204)
  revoke(@CurrentActor() actor: Actor, @Param('id', resourceId('API token')) id: string): Promise<void> {
    return this.tokens.revoke(actor, id);
  }
}
