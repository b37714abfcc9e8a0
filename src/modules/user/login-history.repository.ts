import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { LoginAttempt } from './entities/login-attempt.entity.js';

export type NewLoginAttempt = Omit<LoginAttempt, 'id' | 'createdAt'>;

@Injectable()
export class LoginHistoryRepository {
  constructor(
    @InjectRepository(LoginAttempt) private readonly attempts: Repository<LoginAttempt>,
  ) {}

  async insert(attempt: NewLoginAttempt): Promise<void> {
    await this.attempts.insert(attempt);
  }

  findPageOfUser(userId: string, skip: number, take: number): Promise<[LoginAttempt[], number]> {
    return this.attempts.findAndCount({
      where: { userId },
      order: { createdAt: 'DESC' },
      skip,
      take,
    });
  }
}
