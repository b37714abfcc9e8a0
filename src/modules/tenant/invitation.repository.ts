import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, LessThan, MoreThan, Not, type EntityManager, type Repository } from 'typeorm';
import { queryRecords } from '../../database/query-records.js';
import { Invitation } from './entities/invitation.entity.js';

export type NewInvitation = Pick<
  Invitation,
  'organizationId' | 'email' | 'role' | 'tokenHash' | 'invitedBy' | 'expiresAt'
>;

@Injectable()
export class InvitationRepository {
  constructor(@InjectRepository(Invitation) private readonly invitations: Repository<Invitation>) {}

  /** Revokes the pending invitation to the same address, if any, and records the new one. */
  async replacePending(manager: EntityManager, invitation: NewInvitation): Promise<Invitation> {
    const repository = manager.getRepository(Invitation);
    await repository.update(
      {
        organizationId: invitation.organizationId,
        email: invitation.email,
        acceptedAt: IsNull(),
        revokedAt: IsNull(),
      },
      { revokedAt: new Date() },
    );
    return repository.save(repository.create(invitation));
  }

  listPending(organizationId: string): Promise<Invitation[]> {
    return this.invitations.find({
      where: {
        organizationId,
        acceptedAt: IsNull(),
        revokedAt: IsNull(),
        expiresAt: MoreThan(new Date()),
      },
      order: { createdAt: 'DESC' },
    });
  }

  /** Pending invitations, leaving out the one to `exceptEmail` (about to be replaced). */
  async countPending(
    manager: EntityManager | undefined,
    organizationId: string,
    exceptEmail?: string,
  ): Promise<number> {
    return (manager?.getRepository(Invitation) ?? this.invitations).countBy({
      organizationId,
      acceptedAt: IsNull(),
      revokedAt: IsNull(),
      expiresAt: MoreThan(new Date()),
      ...(exceptEmail ? { email: Not(exceptEmail) } : {}),
    });
  }

  /** Revokes every pending invitation that `userId` sent; returns how many. */
  async revokeSentBy(manager: EntityManager, userId: string): Promise<number> {
    const result = await manager
      .getRepository(Invitation)
      .update(
        { invitedBy: userId, acceptedAt: IsNull(), revokedAt: IsNull() },
        { revokedAt: new Date() },
      );
    return result.affected ?? 0;
  }

  async revoke(organizationId: string, id: string): Promise<boolean> {
    const result = await this.invitations.update(
      { id, organizationId, acceptedAt: IsNull(), revokedAt: IsNull() },
      { revokedAt: new Date() },
    );
    return Boolean(result.affected);
  }

  /**
   * The usable invitation behind a token, locked until the transaction ends: of two concurrent
   * acceptances the second waits, then finds it accepted.
   */
  async lockUsable(manager: EntityManager, tokenHash: string): Promise<Invitation | null> {
    const rows = await queryRecords<{ id: string }>(
      manager,
      `SELECT id FROM invitations
        WHERE token_hash = $1 AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at > now()
          FOR UPDATE`,
      [tokenHash],
    );
    return rows[0] ? manager.getRepository(Invitation).findOneBy({ id: rows[0].id }) : null;
  }

  async markAccepted(manager: EntityManager, id: string): Promise<void> {
    await manager.getRepository(Invitation).update({ id }, { acceptedAt: new Date() });
  }

  /** Retention: invitations that expired unaccepted. */
  async deleteExpired(): Promise<number> {
    const result = await this.invitations.delete({
      acceptedAt: IsNull(),
      expiresAt: LessThan(new Date()),
    });
    return result.affected ?? 0;
  }
}
