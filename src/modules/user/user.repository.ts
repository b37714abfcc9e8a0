import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, type EntityManager, type Repository } from 'typeorm';
import { isUniqueViolation } from '../../database/postgres-errors.js';
import { User } from './entities/user.entity.js';
import { EmailTakenError, UsernameTakenError } from './user.errors.js';

export type NewUser = Pick<
  User,
  'email' | 'passwordHash' | 'username' | 'fullName' | 'emailVerified'
>;

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

  /** Verifies the email only if it is still the one the token was issued for. */
  async markEmailVerified(manager: EntityManager, id: string, email: string): Promise<User | null> {
    const result = await manager
      .getRepository(User)
      .update({ id, email, deletedAt: IsNull() }, { emailVerified: true });
    return result.affected ? manager.getRepository(User).findOneBy({ id }) : null;
  }

  async setPasswordHash(
    manager: EntityManager,
    id: string,
    passwordHash: string | null,
  ): Promise<void> {
    await manager.getRepository(User).update({ id }, { passwordHash });
  }

  findById(id: string, manager?: EntityManager): Promise<User | null> {
    return this.repo(manager).findOne({ where: { id } });
  }

  findByEmail(email: string, manager?: EntityManager): Promise<User | null> {
    return this.repo(manager).findOne({ where: { email } });
  }

  private repo(manager?: EntityManager): Repository<User> {
    return manager ? manager.getRepository(User) : this.users;
  }
}
