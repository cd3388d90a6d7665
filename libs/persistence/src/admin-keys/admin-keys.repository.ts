import { Injectable } from '@nestjs/common';
import type { SqlRunner } from '../database/sql-runner';

export interface AdminKeyRecord {
  readonly id: string;
  readonly keyHash: string;
}

/** Operator keys are global, not tenant data: read with the system scope. */
@Injectable()
export class AdminKeysRepository {
  async listActive(tx: SqlRunner): Promise<AdminKeyRecord[]> {
    const rows = await tx.query<{ id: string; key_hash: string }>(
      `SELECT id, key_hash FROM admin_keys WHERE revoked_at IS NULL ORDER BY created_at`,
    );
    return rows.map((r) => ({ id: r.id, keyHash: r.key_hash }));
  }

  async insert(tx: SqlRunner, input: { name: string; keyHash: string }): Promise<void> {
    await tx.execute(`INSERT INTO admin_keys (name, key_hash) VALUES ($1, $2)`, [input.name, input.keyHash]);
  }
}
