import { Module } from '@nestjs/common';
import { AccessTokens } from './access-tokens';
import { ApiTokensController } from './api-tokens.controller';
import { ApiTokensRepository } from './api-tokens.repository';
import { ApiTokensService } from './api-tokens.service';
import { CredentialRevocations } from './credential-revocations';
import { AuthController } from './auth.controller';
import { AuthMaintenanceController } from './auth-maintenance.controller';
import { AuthGuard } from './auth.guard';
import { AuthService } from './auth.service';
import { Authenticator } from './authenticator';
import { PasswordHasher } from './password-hasher';
import { SessionController } from './session.controller';
import { UsersRepository } from './users.repository';

@Module({
  controllers: [AuthController, ApiTokensController, SessionController, AuthMaintenanceController],
  providers: [
    AccessTokens,
    ApiTokensRepository,
    ApiTokensService,
    AuthService,
    Authenticator,
    AuthGuard,
    CredentialRevocations,
    PasswordHasher,
    UsersRepository,
  ],
  exports: [Authenticator, AuthGuard, CredentialRevocations],
})
export class AuthModule {}
