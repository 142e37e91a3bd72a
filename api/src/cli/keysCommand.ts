import { reencryptColumn, type ColumnCipher, type Db, type EncryptedColumn } from '@voyce/core';

/** `keys re-encrypt`: moves every encrypted column to the current key; afterwards old keys can be dropped. */
export async function reencryptCommand(db: Db, cipher: ColumnCipher, columns: readonly EncryptedColumn[], out: (line: string) => void): Promise<number> {
  let total = 0;
  for (const col of columns) {
    const n = await reencryptColumn(db, cipher, col);
    out(`${col.table}.${col.column}: ${n} value(s) re-encrypted under ${cipher.currentKeyId}`);
    total += n;
  }
  out(`${columns.length} encrypted column(s), ${total} value(s) re-encrypted; keys other than ${cipher.currentKeyId} are no longer needed`);
  return total;
}
