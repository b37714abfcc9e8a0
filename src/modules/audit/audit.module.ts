import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditChainHead } from './entities/audit-chain-head.entity.js';
import { AuditLog } from './entities/audit-log.entity.js';
import { AuditRepository } from './audit.repository.js';
import { AuditService } from './audit.service.js';

@Module({
  imports: [TypeOrmModule.forFeature([AuditLog, AuditChainHead])],
  providers: [AuditRepository, AuditService],
  exports: [AuditService],
})
export class AuditModule {}
