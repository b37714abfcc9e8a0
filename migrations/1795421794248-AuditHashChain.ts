import { createHash } from 'node:crypto';
import type { MigrationInterface, QueryRunner } from 'typeorm';

const GENESIS_HASH = '0'.repeat(64);

/**
 * The tamper-evident audit log: each entry gets a sequence and
 * `hash = SHA-256(previous hash + canonical JSON of the entry)`, and one head row holds the end of
 * the chain. Entries written before this migration are chained in the order they were written.
 * The hashing is copied here on purpose: a migration must keep computing what it computed when
 * it was written, whatever the application code becomes.
 */
export class AuditHashChain1795421794248 implements MigrationInterface {
  name = 'AuditHashChain1795421794248';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "audit_chain_head" (
      "id" smallint NOT NULL,
      "sequence" bigint NOT NULL,
      "hash" character(64) NOT NULL,
      "pruned_through" bigint NOT NULL DEFAULT '0',
      CONSTRAINT "PK_9211408bf584034de409b1bbec5" PRIMARY KEY ("id"))`);
    await queryRunner.query(`ALTER TABLE "audit_logs" ADD "sequence" bigint`);
    await queryRunner.query(`ALTER TABLE "audit_logs" ADD "previous_hash" character(64)`);
    await queryRunner.query(`ALTER TABLE "audit_logs" ADD "hash" character(64)`);
    const head = await this.chainExistingEntries(queryRunner);
    await queryRunner.query(`ALTER TABLE "audit_logs" ALTER COLUMN "sequence" SET NOT NULL`);
    await queryRunner.query(`ALTER TABLE "audit_logs" ALTER COLUMN "previous_hash" SET NOT NULL`);
    await queryRunner.query(`ALTER TABLE "audit_logs" ALTER COLUMN "hash" SET NOT NULL`);
    await queryRunner.query(`ALTER TABLE "audit_logs" ALTER COLUMN "id" DROP DEFAULT`);
    await queryRunner.query(`ALTER TABLE "audit_logs" ALTER COLUMN "created_at" DROP DEFAULT`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_audit_logs_sequence" ON "audit_logs" ("sequence")`,
    );
    await queryRunner.query(
      `INSERT INTO "audit_chain_head" ("id", "sequence", "hash") VALUES (1, $1, $2)`,
      [head.sequence, head.hash],
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."uq_audit_logs_sequence"`);
    await queryRunner.query(`ALTER TABLE "audit_logs" ALTER COLUMN "created_at" SET DEFAULT now()`);
    await queryRunner.query(
      `ALTER TABLE "audit_logs" ALTER COLUMN "id" SET DEFAULT gen_random_uuid()`,
    );
    await queryRunner.query(`ALTER TABLE "audit_logs" DROP COLUMN "hash"`);
    await queryRunner.query(`ALTER TABLE "audit_logs" DROP COLUMN "previous_hash"`);
    await queryRunner.query(`ALTER TABLE "audit_logs" DROP COLUMN "sequence"`);
    await queryRunner.query(`DROP TABLE "audit_chain_head"`);
  }

  private async chainExistingEntries(
    queryRunner: QueryRunner,
  ): Promise<{ sequence: number; hash: string }> {
    const rows = (await queryRunner.query(
      `SELECT id, entity_type, entity_id, action, actor_type, actor_id, changes, metadata, created_at
       FROM audit_logs ORDER BY created_at, id`,
    )) as AuditRow[];
    let hash = GENESIS_HASH;
    let sequence = 0;
    for (const row of rows) {
      sequence += 1;
      const previousHash = hash;
      hash = chainHash(previousHash, sequence, row);
      await queryRunner.query(
        `UPDATE audit_logs SET sequence = $2, previous_hash = $3, hash = $4 WHERE id = $1`,
        [row.id, sequence, previousHash, hash],
      );
    }
    return { sequence, hash };
  }
}

interface AuditRow {
  id: string;
  entity_type: string;
  entity_id: string;
  action: string;
  actor_type: string;
  actor_id: string | null;
  changes: unknown;
  metadata: unknown;
  created_at: Date;
}

function chainHash(previousHash: string, sequence: number, row: AuditRow): string {
  const entry = JSON.parse(
    JSON.stringify({
      id: row.id,
      sequence: String(sequence),
      entityType: row.entity_type,
      entityId: row.entity_id,
      action: row.action,
      actorType: row.actor_type,
      actorId: row.actor_id,
      changes: row.changes,
      metadata: row.metadata,
      timestamp: new Date(row.created_at).toISOString(),
    }),
  ) as unknown;
  return createHash('sha256').update(previousHash).update(canonicalJson(entry)).digest('hex');
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}
