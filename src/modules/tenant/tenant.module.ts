import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module.js';
import { MailModule } from '../mail/mail.module.js';
import { UserModule } from '../user/user.module.js';
import { ApiKeyController } from './api-key.controller.js';
import { ApiKeyRepository } from './api-key.repository.js';
import { ApiKeyService } from './api-key.service.js';
import { ApiKey } from './entities/api-key.entity.js';
import { Invitation } from './entities/invitation.entity.js';
import { Membership } from './entities/membership.entity.js';
import { Organization } from './entities/organization.entity.js';
import { InvitationAcceptanceController, InvitationController } from './invitation.controller.js';
import { InvitationRepository } from './invitation.repository.js';
import { InvitationService } from './invitation.service.js';
import { MemberController } from './member.controller.js';
import { MembershipRepository } from './membership.repository.js';
import { MembershipService } from './membership.service.js';
import { OrganizationController } from './organization.controller.js';
import { OrganizationRepository } from './organization.repository.js';
import { OrganizationService } from './organization.service.js';
import { TenantService } from './tenant.service.js';

@Module({
  imports: [
    TypeOrmModule.forFeature([Organization, Membership, Invitation, ApiKey]),
    AuditModule,
    MailModule,
    UserModule,
  ],
  controllers: [
    OrganizationController,
    MemberController,
    InvitationController,
    InvitationAcceptanceController,
    ApiKeyController,
  ],
  providers: [
    OrganizationRepository,
    MembershipRepository,
    InvitationRepository,
    ApiKeyRepository,
    OrganizationService,
    MembershipService,
    InvitationService,
    ApiKeyService,
    TenantService,
  ],
  exports: [TenantService],
})
export class TenantModule {}
