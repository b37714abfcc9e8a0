import { Injectable } from '@nestjs/common';
import { countBy } from '../../database/count-by.js';
import { InjectRepository } from '@nestjs/typeorm';
import { In, IsNull, type EntityManager, type Repository } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity.js';
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

  /** Applies a profile change; the unique indexes decide username clashes (409). */
  async updateProfile(
    id: string,
    patch: Partial<Pick<User, 'username' | 'fullName' | 'bio' | 'avatarUrl'>>,
  ): Promise<User> {
    try {
      await this.users.update({ id }, patch);
    } catch (error) {
      if (isUniqueViolation(error, 'uq_users_username_lower')) throw new UsernameTakenError();
      throw error;
    }
    return this.users.findOneByOrFail({ id });
  }

  async setPreferences(id: string, preferences: Record<string, unknown>): Promise<void> {
    // jsonb: TypeORM's deep-partial typing does not fit free-form objects.
    await this.users.update({ id }, { preferences } as QueryDeepPartialEntity<User>);
  }

  async setFields(
    manager: EntityManager,
    id: string,
    patch: Partial<Pick<User, 'role' | 'status'>>,
  ): Promise<void> {
    await manager.getRepository(User).update({ id }, patch);
  }

  /** Moves the account to a new, unverified address; EMAIL_TAKEN when another account has it. */
  async changeEmail(manager: EntityManager, id: string, email: string): Promise<void> {
    try {
      await manager.getRepository(User).update({ id }, { email, emailVerified: false });
    } catch (error) {
      if (isUniqueViolation(error, 'uq_users_email')) throw new EmailTakenError();
      throw error;
    }
  }

  /**
   * Strips personal data from a deleted account. The row stays (audit and money history refer
   * to it) under an address that can never be registered, so the real one is free again.
   */
  async anonymise(manager: EntityManager, id: string): Promise<void> {
    await manager.getRepository(User).update(
      { id },
      {
        email: `deleted+${id}@deleted.invalid`,
        emailVerified: false,
        passwordHash: null,
        username: null,
        fullName: null,
        bio: null,
        avatarUrl: null,
        preferences: null,
        deletedAt: new Date(),
      },
    );
  }

  /** Live (not deleted) users, filtered and paged, newest first. */
  search(
    filter: { search?: string; role?: string; status?: string },
    skip: number,
    take: number,
  ): Promise<[User[], number]> {
    const query = this.users.createQueryBuilder('u').where('u.deleted_at IS NULL');
    if (filter.search) {
      query.andWhere(`(u.email ILIKE :term OR u.username ILIKE :term OR u.full_name ILIKE :term)`, {
        term: `%${filter.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`,
      });
    }
    if (filter.role) query.andWhere('u.role = :role', { role: filter.role });
    if (filter.status) query.andWhere('u.status = :status', { status: filter.status });
    return query.orderBy('u.created_at', 'DESC').skip(skip).take(take).getManyAndCount();
  }

  findByIds(ids: string[]): Promise<User[]> {
    return ids.length === 0 ? Promise.resolve([]) : this.users.findBy({ id: In(ids) });
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

  /** Users by status and by platform role (admin statistics). */
  async stats(): Promise<{ byStatus: Record<string, number>; byRole: Record<string, number> }> {
    return {
      byStatus: await countBy(this.users, 'status', 'row.deleted_at IS NULL'),
      byRole: await countBy(this.users, 'role', 'row.deleted_at IS NULL'),
    };
  }
}
