jest.setTimeout(120_000);

import { randomBytes } from 'node:crypto';
import { columnContext, createColumnCipher, createDb, parseColumnKeys, type Db } from '@voyce/core';
import { reencryptCommand } from '../../api/src/cli/keysCommand';

/** Key rotation of encrypted columns against real PostgreSQL: values move to the new key and still decrypt. */
let db: Db;
const col = { table: 'test_encrypted_secrets', idColumn: 'id', column: 'secret' };

beforeAll(async () => {
  db = createDb(process.env.DATABASE_URL ?? '', 2);
  await db.schema.dropTableIfExists(col.table);
  await db.schema.createTable(col.table, (t) => {
    t.increments('id');
    t.text('secret');
  });
});
afterAll(async () => {
  await db.schema.dropTableIfExists(col.table);
  await db.destroy();
});

it('re-encrypts every value under the new key, leaves nulls, and is idempotent', async () => {
  const keys = parseColumnKeys(`k1:${randomBytes(32).toString('base64')},k2:${randomBytes(32).toString('base64')}`);
  const old = createColumnCipher(keys, 'k1');
  const secrets = Array.from({ length: 1200 }, (_, i) => `whsec_${i}_${randomBytes(8).toString('hex')}`);
  const ids = (await db(col.table).insert(secrets.map(() => ({ secret: null }))).returning('id')).map((r: { id: number }) => r.id);
  await Promise.all(ids.map((id, i) => db(col.table).where({ id }).update({ secret: old.encrypt(secrets[i]!, columnContext(col, id)) })));
  await db(col.table).insert({ secret: null });

  const next = createColumnCipher(keys, 'k2');
  const lines: string[] = [];
  expect(await reencryptCommand(db, next, [col], (l) => lines.push(l))).toBe(1200);
  expect(lines.join('\n')).toContain('1200 value(s) re-encrypted under k2');

  const rows = (await db(col.table).orderBy('id')) as { id: number; secret: string | null }[];
  expect(rows.filter((r) => r.secret === null)).toHaveLength(1);
  const encrypted = rows.filter((r): r is { id: number; secret: string } => r.secret !== null);
  expect(encrypted.every((r) => next.keyIdOf(r.secret) === 'k2')).toBe(true);
  // Only the new key is needed now.
  const onlyNew = createColumnCipher(new Map([['k2', keys.get('k2')!]]), 'k2');
  expect(encrypted.map((r) => onlyNew.decrypt(r.secret, columnContext(col, r.id)))).toEqual(secrets);
  expect(await reencryptCommand(db, next, [col], () => undefined)).toBe(0);
});
