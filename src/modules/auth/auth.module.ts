import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { PassportModule } from '@nestjs/passport';
import { TypeOrmModule } from '@nestjs/typeorm';
import { TenantModule } from '../tenant/tenant.module.js';
import { UserModule } from '../user/user.module.js';
import { AccessTokenService } from './access-token.service.js';
import { AuthController } from './auth.controller.js';
import { AuthService } from './auth.service.js';
import { RefreshToken } from './entities/refresh-token.entity.js';
import { JwtAuthGuard } from './guards/jwt-auth.guard.js';
import { RolesGuard } from './guards/roles.guard.js';
import { JwksController } from './jwks.controller.js';
import { JwtKeysService } from './jwt-keys.service.js';
import { PasswordHasher } from './password.hasher.js';
import { RefreshTokenRepository } from './refresh-token.repository.js';
import { SessionService } from './session.service.js';
import { JwtStrategy } from './strategies/jwt.strategy.js';

@Module({
  imports: [TypeOrmModule.forFeature([RefreshToken]), PassportModule, UserModule, TenantModule],
  controllers: [AuthController, JwksController],
  providers: [
    AccessTokenService,
    AuthService,
    JwtKeysService,
    JwtStrategy,
    PasswordHasher,
    RefreshTokenRepository,
    SessionService,
    // Order matters: authentication first, then the role check that reads its result.
    { provide: APP_GUARD, useClass: JwtAuthGuard },
    { provide: APP_GUARD, useClass: RolesGuard },
  ],
  exports: [AuthService],
})
export class AuthModule {}
