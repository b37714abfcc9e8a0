import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { PassportModule } from '@nestjs/passport';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module.js';
import { MailModule } from '../mail/mail.module.js';
import { TenantModule } from '../tenant/tenant.module.js';
import { UserModule } from '../user/user.module.js';
import { AccessTokenService } from './access-token.service.js';
import { AccountRecoveryController } from './account-recovery.controller.js';
import { AccountCreationService } from './account-creation.service.js';
import { AccountController } from './account.controller.js';
import { AccountService } from './account.service.js';
import { AuthController } from './auth.controller.js';
import { AuthService } from './auth.service.js';
import { TokenRetentionService } from './token-retention.service.js';
import { EmailVerificationService } from './email-verification.service.js';
import { MfaFactor } from './entities/mfa-factor.entity.js';
import { MfaRecoveryCode } from './entities/mfa-recovery-code.entity.js';
import { OAuthAccount } from './entities/oauth-account.entity.js';
import { OAuthState } from './entities/oauth-state.entity.js';
import { RefreshToken } from './entities/refresh-token.entity.js';
import { AuthSession } from './entities/session.entity.js';
import { UserToken } from './entities/user-token.entity.js';
import { ApiKeyScopeGuard } from './guards/api-key-scope.guard.js';
import { JwtAuthGuard } from './guards/jwt-auth.guard.js';
import { OrgRoleGuard } from './guards/org-role.guard.js';
import { RolesGuard } from './guards/roles.guard.js';
import { JwksController } from './jwks.controller.js';
import { JwtKeysService } from './jwt-keys.service.js';
import { LoginThrottle } from './login-throttle.service.js';
import { LoginService } from './login.service.js';
import { MfaController } from './mfa.controller.js';
import { MfaRepository } from './mfa.repository.js';
import { MfaChallengeService } from './mfa-challenge.service.js';
import { MfaService } from './mfa.service.js';
import { MfaSecrets } from './mfa-secrets.js';
import { DataCipher } from './data-cipher.service.js';
import { OAuthController } from './oauth/oauth.controller.js';
import { OAuthRepository } from './oauth/oauth.repository.js';
import { OAuthService } from './oauth/oauth.service.js';
import { PasswordResetService } from './password-reset.service.js';
import { PasswordHasher } from './password.hasher.js';
import { PasswordPolicy } from './password.policy.js';
import { RefreshTokenRepository } from './refresh-token.repository.js';
import { SessionRepository } from './session.repository.js';
import { SessionService } from './session.service.js';
import { UserTokenRepository } from './user-token.repository.js';
import { ApiKeyStrategy } from './strategies/api-key.strategy.js';
import { JwtStrategy } from './strategies/jwt.strategy.js';

@Module({
  imports: [
    TypeOrmModule.forFeature([
      RefreshToken,
      AuthSession,
      UserToken,
      MfaFactor,
      MfaRecoveryCode,
      OAuthAccount,
      OAuthState,
    ]),
    PassportModule,
    AuditModule,
    UserModule,
    TenantModule,
    MailModule,
  ],
  controllers: [
    AccountController,
    AuthController,
    AccountRecoveryController,
    MfaController,
    OAuthController,
    JwksController,
  ],
  providers: [
    AccessTokenService,
    AccountCreationService,
    AccountService,
    AuthService,
    EmailVerificationService,
    JwtKeysService,
    LoginService,
    LoginThrottle,
    MfaRepository,
    MfaService,
    MfaChallengeService,
    MfaSecrets,
    DataCipher,
    OAuthRepository,
    OAuthService,
    PasswordPolicy,
    PasswordResetService,
    UserTokenRepository,
    JwtStrategy,
    PasswordHasher,
    RefreshTokenRepository,
    SessionRepository,
    SessionService,
    ApiKeyStrategy,
    // Order matters: who is calling, their platform role, their organization (404 for
    // outsiders before anything else can answer 403), then what an API key may do.
    TokenRetentionService,
    { provide: APP_GUARD, useClass: JwtAuthGuard },
    { provide: APP_GUARD, useClass: RolesGuard },
    { provide: APP_GUARD, useClass: OrgRoleGuard },
    { provide: APP_GUARD, useClass: ApiKeyScopeGuard },
  ],
  exports: [AuthService, TokenRetentionService],
})
export class AuthModule {}
