/** A column that holds `ColumnCipher` values; the row id is part of the associated data. */
export interface EncryptedColumn {
  table: string;
  idColumn: string;
  column: string;
}

/** The AAD of a value: binds it to its table, column and row. */
export const columnContext = (c: EncryptedColumn, rowId: string | number): string => `${c.table}.${c.column}:${rowId}`;

/**
 * Every encrypted column of the schema, for `voyce keys re-encrypt`. A feature that stores a secret (webhook
 * signing secrets, OAuth provider tokens, push tokens) adds its column here in the same change.
 */
export const WEBHOOK_SECRET_COLUMN: EncryptedColumn = { table: 'notification_settings', idColumn: 'user_id', column: 'webhook_secret' };

export const ENCRYPTED_COLUMNS: readonly EncryptedColumn[] = [WEBHOOK_SECRET_COLUMN];
