import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { EntityManager, Repository } from 'typeorm';
import { isUniqueViolation } from '../../database/postgres-errors.js';
import { User } from './entities/user.entity.js';
import { EmailTakenError, UsernameTakenError } from './user.errors.js';

export type NewUser = Pick<User, 'email' | 'passwordHash' | 'username' | 'fullName'>;

@Injectable()
export class UserRepository {
  constructor(@InjectRepository(User) private readonly users: Repository<User>) {}

  /**
   * Relies on the unique indexes, not a read-then-write, so two concurrent sign-ups with one
   * email give one row and one EMAIL_TAKEN.
   */
  async insert(manager: EntityManager, user: NewUser): Promise<User> {
    try {
      return await manager.getRepository(User).save(manager.getRepository(User).create(user));
    } catch (error) {
      if (isUniqueViolation(error, 'uq_users_email')) throw new EmailTakenError();
      if (isUniqueViolation(error, 'uq_users_username_lower')) throw new UsernameTakenError();
      throw error;
    }
  }

  findById(id: string, manager?: EntityManager): Promise<User | null> {
    return this.repo(manager).findOne({ where: { id } });
  }

  findByEmail(email: string): Promise<User | null> {
    return this.users.findOne({ where: { email } });
  }

  private repo(manager?: EntityManager): Repository<User> {
    return manager ? manager.getRepository(User) : this.users;
  }
}
