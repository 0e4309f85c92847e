import { Body, Controller, Get, HttpCode, Inject, Post, Put, UseGuards } from '@nestjs/common';
import type { Actor } from '@homehelper/contracts';
import { ZodBody } from '../http/zod-body.pipe';
import { AuthGuard, CurrentActor } from './auth.guard';
import { AuthService, Session, UserProfile } from './auth.service';
import { LoginDto, loginSchema, RegisterDto, registerSchema, UpdateMeDto, updateMeSchema } from './dto/auth.dto';

@Controller('api/auth')
export class AuthController {
  constructor(@Inject(AuthService) private readonly auth: AuthService) {}

  @Post('register')
  register(@Body(new ZodBody(registerSchema)) dto: RegisterDto): Promise<Session> {
    return this.auth.register(dto);
  }

  @Post('login')
  @HttpCode(200)
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
