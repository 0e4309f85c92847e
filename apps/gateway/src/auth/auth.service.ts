import { Inject, Injectable } from '@nestjs/common';
import { AppConfig } from '@homehelper/config';
import type { Actor, UserRole } from '@homehelper/contracts';
import { ServiceError } from '@homehelper/bus';
import { AccessTokens } from './access-tokens';
import { Authenticator } from './authenticator';
import { LoginDto, RegisterDto, UpdateMeDto } from './dto/auth.dto';
import { PasswordHasher } from './password-hasher';
import { User } from './user.entity';
import { UsersRepository } from './users.repository';

export interface UserProfile {
  id: string;
  email: string;
  fullName: string | null;
  role: UserRole;
  timezone: string;
  createdAt: string;
}

export interface Session {
  accessToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
  user: UserProfile;
}

@Injectable()
export class AuthService {
  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(UsersRepository) private readonly users: UsersRepository,
    @Inject(PasswordHasher) private readonly passwords: PasswordHasher,
    @Inject(AccessTokens) private readonly tokens: AccessTokens,
    @Inject(Authenticator) private readonly authenticator: Authenticator,
  ) {}

  async register(dto: RegisterDto): Promise<Session> {
    const outcome = await this.users.createWithRole(
      {
        email: dto.email,
        hashedPassword: await this.passwords.hash(dto.password),
        fullName: dto.fullName ?? null,
        timezone: dto.timezone ?? this.config.defaultTimezone,
      },
      { registrationOpen: this.config.registrationOpen },
    );
    if (outcome === 'closed') throw ServiceError.forbidden('Registration is closed; ask the admin for an account');
    if (outcome === 'taken') throw ServiceError.conflict('An account with this email already exists');
    return this.sessionFor(outcome);
  }

  async login(dto: LoginDto): Promise<Session> {
    const user = await this.users.findByEmail(dto.email);
    const valid = await this.passwords.verify(dto.password, user?.hashedPassword);
    if (!user || !valid || !user.isActive) throw ServiceError.unauthenticated('Email or password is wrong');
    return this.sessionFor(user);
  }

  async me(actor: Actor): Promise<UserProfile> {
    const user = await this.users.findById(actor.userId);
    if (!user) throw ServiceError.unauthenticated();
    return toProfile(user);
  }

  async updateMe(actor: Actor, dto: UpdateMeDto): Promise<UserProfile> {
    const user = await this.users.findById(actor.userId);
    if (!user) throw ServiceError.unauthenticated();
    if (dto.newPassword !== undefined) {
      const valid = await this.passwords.verify(dto.currentPassword ?? '', user.hashedPassword);
      if (!valid) throw ServiceError.forbidden('The current password is wrong');
    }
    const updated = await this.users.update(user.id, {
      ...(dto.fullName !== undefined ? { fullName: dto.fullName } : {}),
      ...(dto.timezone !== undefined ? { timezone: dto.timezone } : {}),
      ...(dto.newPassword !== undefined ? { hashedPassword: await this.passwords.hash(dto.newPassword) } : {}),
    });
    if (updated.timezone !== user.timezone) await this.authenticator.identityChanged(user.id);
    return toProfile(updated);
  }

  private sessionFor(user: User): Session {
    return { ...this.tokens.issue({ sub: user.id, role: user.role }), tokenType: 'Bearer', user: toProfile(user) };
  }
}

function toProfile(user: User): UserProfile {
  return {
    id: user.id,
    email: user.email,
    fullName: user.fullName,
    role: user.role,
    timezone: user.timezone,
    createdAt: user.createdAt.toISOString(),
  };
}
