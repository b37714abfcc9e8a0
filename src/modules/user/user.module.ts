import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module.js';
import { LoginAttempt } from './entities/login-attempt.entity.js';
import { User } from './entities/user.entity.js';
import { LoginHistoryRepository } from './login-history.repository.js';
import { LoginHistoryService } from './login-history.service.js';
import { UserController } from './user.controller.js';
import { UserRepository } from './user.repository.js';
import { UserService } from './user.service.js';

@Module({
  imports: [TypeOrmModule.forFeature([User, LoginAttempt]), AuditModule],
  controllers: [UserController],
  providers: [UserRepository, UserService, LoginHistoryRepository, LoginHistoryService],
  exports: [UserService, LoginHistoryService],
})
export class UserModule {}
