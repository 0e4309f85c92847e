import { Body, Controller, Get, HttpCode, Inject, Post, Put, UseGuards } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import type { Actor } from '@homehelper/contracts';
import { ZodBody } from '../http/zod-body.pipe';
import { ApiErrorResponses } from '../openapi/api-errors';
import { ZodApiBody } from '../openapi/zod-api-body';
import { AuthRateLimit } from '../rate-limit/auth-rate-limit.interceptor';
import { AuthGuard, CurrentActor } from './auth.guard';
import { AuthService, Session, UserProfile } from './auth.service';
import { LoginDto, loginSchema, RegisterDto, registerSchema, UpdateMeDto, updateMeSchema } from './dto/auth.dto';

@Controller('api/auth')
export class AuthController {
  constructor(@Inject(AuthService) private readonly auth: AuthService) {}

  @Post('register')
  @AuthRateLimit('register')
  @ApiOperation({ summary: 'Create an account (the first one is the admin) and sign in' })
  @ZodApiBody(registerSchema)
  @ApiCreatedResponse({ description: '{ accessToken, tokenType: "Bearer", expiresIn, user }' })
  @ApiErrorResponses('forbidden', 'conflict')
  register(@Body(new ZodBody(registerSchema)) dto: RegisterDto): Promise<Session> {
    return this.auth.register(dto);
  }

  @Post('login')
  @HttpCode(200)
  @AuthRateLimit('login')
  @ApiOperation({ summary: 'Sign in with email and password' })
  @ZodApiBody(loginSchema)
  @ApiOkResponse({ description: '{ accessToken, tokenType: "Bearer", expiresIn, user }' })
  @ApiErrorResponses('unauthenticated')
  login(@Body(new ZodBody(loginSchema)) dto: LoginDto): Promise<Session> {
    return this.auth.login(dto);
  }

  @Get('me')
  @UseGuards(AuthGuard)
  me(@CurrentActor() actor: Actor): Promise<UserProfile> {
    return this.auth.me(actor);
  }

  @Put('me')
  @UseGuards(AuthGuard)
  updateMe(@CurrentActor() actor: Actor, @Body(new ZodBody(updateMeSchema)) dto: UpdateMeDto): Promise<UserProfile> {
    return this.auth.updateMe(actor, dto);
  }
}
