import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { DEV_COLUMN_KEY, type Config } from '../config';

const PREFIX = 'enc:v1';
const IV_BYTES = 12; // the GCM standard nonce size; random per value (2^-32 collision risk only after ~2^32 values per key)
const TAG_BYTES = 16;

/**
 * AES-256-GCM for secrets kept in columns (webhook signing secrets, OAuth provider tokens, push tokens).
 * A stored value is `enc:v1:<keyId>:<base64url(iv | tag | ciphertext)>`: the key id travels with the value, so
 * keys rotate by adding a new current key and re-encrypting (`voyce keys re-encrypt`) before dropping the old.
 * `context` (e.g. `devices.push_token:<row id>`) is bound as associated data, so a value copied into another
 * row or column does not decrypt.
 */
export interface ColumnCipher {
  readonly currentKeyId: string;
  encrypt(plaintext: string, context: string): string;
  decrypt(stored: string, context: string): string;
  /** The key id a stored value was encrypted under, or null when it is not one of ours. */
  keyIdOf(stored: string): string | null;
}

/** Parses `id:base64key,id2:base64key2` into a key ring; every key must be exactly 32 bytes. */
export function parseColumnKeys(spec: string): Map<string, Buffer> {
  const keys = new Map<string, Buffer>();
  for (const entry of spec.split(',').map((e) => e.trim()).filter(Boolean)) {
    const [id, b64] = entry.split(':');
    if (!id || !b64 || !/^[A-Za-z0-9_-]{1,32}$/.test(id)) throw new Error(`COLUMN_ENCRYPTION_KEYS: "${id ?? ''}" is not id:base64key`);
    const key = Buffer.from(b64, 'base64');
    if (key.length !== 32) throw new Error(`COLUMN_ENCRYPTION_KEYS: key ${id} must be 32 bytes, is ${key.length}`);
    if (keys.has(id)) throw new Error(`COLUMN_ENCRYPTION_KEYS: key id ${id} is listed twice`);
    keys.set(id, key);
  }
  if (keys.size === 0) throw new Error('COLUMN_ENCRYPTION_KEYS: no key given');
  return keys;
}

export function createColumnCipher(keys: Map<string, Buffer>, currentKeyId = keys.keys().next().value): ColumnCipher {
  if (!currentKeyId) throw new Error('COLUMN_ENCRYPTION_KEY_ID: no current key');
  const currentKey = keys.get(currentKeyId);
  if (!currentKey) throw new Error(`COLUMN_ENCRYPTION_KEY_ID: ${currentKeyId} is not among COLUMN_ENCRYPTION_KEYS`);

  const parse = (stored: string) => {
    const parts = stored.split(':');
    if (parts.length !== 4 || `${parts[0]}:${parts[1]}` !== PREFIX || !parts[2] || !parts[3]) return null;
    return { keyId: parts[2], blob: Buffer.from(parts[3], 'base64url') };
  };

  return {
    currentKeyId,
    encrypt(plaintext, context) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', currentKey, iv);
      cipher.setAAD(Buffer.from(context, 'utf8'));
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return `${PREFIX}:${currentKeyId}:${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url')}`;
    },
    decrypt(stored, context) {
      const parsed = parse(stored);
      if (!parsed) throw new Error('not an encrypted column value');
      const key = keys.get(parsed.keyId);
      if (!key) throw new Error(`column value encrypted under unknown key ${parsed.keyId}`);
      if (parsed.blob.length < IV_BYTES + TAG_BYTES) throw new Error('encrypted column value is truncated');
      const decipher = createDecipheriv('aes-256-gcm', key, parsed.blob.subarray(0, IV_BYTES));
      decipher.setAAD(Buffer.from(context, 'utf8'));
      decipher.setAuthTag(parsed.blob.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
      return Buffer.concat([decipher.update(parsed.blob.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
    },
    keyIdOf: (stored) => parse(stored)?.keyId ?? null,
  };
}

/**
 * The cipher for this deployment. Checked where it is built rather than in the config schema, so processes
 * that hold no secrets (workers) need no keys; the development key is refused in production.
 */
export function columnCipherFromConfig(config: Pick<Config, 'NODE_ENV' | 'COLUMN_ENCRYPTION_KEYS' | 'COLUMN_ENCRYPTION_KEY_ID'>): ColumnCipher {
  if (config.NODE_ENV === 'production' && config.COLUMN_ENCRYPTION_KEYS === DEV_COLUMN_KEY) {
    throw new Error('COLUMN_ENCRYPTION_KEYS: must be set to keys of your own in production');
  }
  return createColumnCipher(parseColumnKeys(config.COLUMN_ENCRYPTION_KEYS), config.COLUMN_ENCRYPTION_KEY_ID);
}
