import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * The one row at the end of the audit chain: the last entry's sequence and hash. Writers lock it,
 * so entries line up one after the other and the chain never forks. `prunedThrough` is the
 * retention checkpoint: entries up to that sequence may be missing.
 */
@Entity('audit_chain_head')
export class AuditChainHead {
  @PrimaryColumn({ type: 'smallint' })
  id!: number;

  @Column({ type: 'bigint' })
  sequence!: string;

  @Column({ type: 'char', length: 64 })
  hash!: string;

  @Column({ type: 'bigint', default: 0 })
  prunedThrough!: string;
}
