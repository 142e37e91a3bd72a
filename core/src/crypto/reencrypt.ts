import type { Db } from '../db/knex';
import type { ColumnCipher } from './columnCipher';
import { columnContext, type EncryptedColumn } from './encryptedColumns';

const BATCH = 500;

/**
 * Re-encrypts every value of a column that is not under the current key, in batches, each row updated only
 * if it still holds the value read (so a concurrent write is never overwritten). Returns how many changed.
 */
export async function reencryptColumn(db: Db, cipher: ColumnCipher, col: EncryptedColumn): Promise<number> {
  const current = `enc:v1:${cipher.currentKeyId}:%`;
  let changed = 0;
  let after: string | number | null = null;
  for (;;) {
    const q = db(col.table)
      .select({ id: col.idColumn, value: col.column })
      .whereNotNull(col.column)
      .whereNot(col.column, 'like', current)
      .orderBy(col.idColumn)
      .limit(BATCH);
    if (after !== null) q.where(col.idColumn, '>', after);
    const rows = (await q) as { id: string | number; value: string }[];
    if (rows.length === 0) return changed;
    for (const row of rows) {
      const context = columnContext(col, row.id);
      const next = cipher.encrypt(cipher.decrypt(row.value, context), context);
      changed += await db(col.table).where(col.idColumn, row.id).where(col.column, row.value).update({ [col.column]: next });
    }
    after = rows[rows.length - 1]?.id ?? null;
  }
}
