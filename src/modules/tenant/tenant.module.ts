import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module.js';
import { Membership } from './entities/membership.entity.js';
import { Organization } from './entities/organization.entity.js';
import { MembershipRepository } from './membership.repository.js';
import { OrganizationRepository } from './organization.repository.js';
import { TenantService } from './tenant.service.js';

@Module({
  imports: [TypeOrmModule.forFeature([Organization, Membership]), AuditModule],
  providers: [OrganizationRepository, MembershipRepository, TenantService],
  exports: [TenantService],
})
export class TenantModule {}
