import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module.js';
import { MailModule } from '../mail/mail.module.js';
import { LoginAttempt } from './entities/login-attempt.entity.js';
import { User } from './entities/user.entity.js';
import { LoginHistoryRepository } from './login-history.repository.js';
import { LoginHistoryService } from './login-history.service.js';
import { ProfileService } from './profile.service.js';
import { UserAdminService } from './user-admin.service.js';
import { UserController } from './user.controller.js';
import { UserRepository } from './user.repository.js';
import { UserService } from './user.service.js';

@Module({
  imports: [TypeOrmModule.forFeature([User, LoginAttempt]), AuditModule, MailModule],
  controllers: [UserController],
  providers: [
    UserRepository,
    UserService,
    ProfileService,
    UserAdminService,
    LoginHistoryRepository,
    LoginHistoryService,
  ],
  exports: [UserService, UserAdminService, LoginHistoryService],
})
export class UserModule {}
