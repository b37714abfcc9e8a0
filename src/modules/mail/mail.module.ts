import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { MailMessage } from './entities/mail-message.entity.js';
import { MailOutboxProcessor } from './mail-outbox.processor.js';
import { MailOutboxRepository } from './mail-outbox.repository.js';
import { MailService } from './mail.service.js';

@Module({
  imports: [TypeOrmModule.forFeature([MailMessage])],
  providers: [MailOutboxRepository, MailOutboxProcessor, MailService],
  exports: [MailService, MailOutboxProcessor],
})
export class MailModule {}
