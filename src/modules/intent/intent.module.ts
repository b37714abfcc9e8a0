import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module.js';
import { SubscriptionIntent } from './entities/subscription-intent.entity.js';
import { IntentRepository } from './intent.repository.js';
import { IntentService } from './intent.service.js';

@Module({
  imports: [TypeOrmModule.forFeature([SubscriptionIntent]), AuditModule],
  providers: [IntentRepository, IntentService],
  exports: [IntentService],
})
export class IntentModule {}
