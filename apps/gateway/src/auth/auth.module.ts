import { Module } from '@nestjs/common';
import { AccessTokens } from './access-tokens';
import { AuthController } from './auth.controller';
import { AuthGuard } from './auth.guard';
import { AuthService } from './auth.service';
import { Authenticator } from './authenticator';
import { PasswordHasher } from './password-hasher';
import { UsersRepository } from './users.repository';

@Module({
  controllers: [AuthController],
  providers: [AccessTokens, AuthService, Authenticator, AuthGuard, PasswordHasher, UsersRepository],
  exports: [Authenticator, AuthGuard],
})
export class AuthModule {}
