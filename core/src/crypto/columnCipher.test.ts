import { randomBytes } from 'node:crypto';
import { DEV_COLUMN_KEY } from '../config';
import { columnCipherFromConfig, createColumnCipher, parseColumnKeys } from './columnCipher';

const k = () => randomBytes(32).toString('base64');

describe('column cipher', () => {
  const keys = parseColumnKeys(`old:${k()},new:${k()}`);

  it('round-trips and never stores the plaintext', () => {
    const c = createColumnCipher(keys, 'new');
    const stored = c.encrypt('whsec_very-secret', 'webhooks.secret:1');
    expect(stored).toMatch(/^enc:v1:new:[A-Za-z0-9_-]+$/);
    expect(stored).not.toContain('very-secret');
    expect(c.decrypt(stored, 'webhooks.secret:1')).toBe('whsec_very-secret');
    expect(c.encrypt('same', 'x')).not.toBe(c.encrypt('same', 'x'));
  });

  it('reads values under an older key after rotation, and tells their key id', () => {
    const before = createColumnCipher(keys, 'old').encrypt('token', 'devices.push_token:7');
    const after = createColumnCipher(keys, 'new');
    expect(after.keyIdOf(before)).toBe('old');
    expect(after.decrypt(before, 'devices.push_token:7')).toBe('token');
  });

  it('refuses tampered values, another row\'s context and unknown keys', () => {
    const c = createColumnCipher(keys, 'new');
    const stored = c.encrypt('token', 'devices.push_token:7');
    // Flip one bit of the ciphertext itself (editing a base64 character can leave the decoded bytes unchanged).
    const parts = stored.split(':');
    const blob = Buffer.from(parts[3] ?? '', 'base64url');
    blob[blob.length - 1] = (blob[blob.length - 1] ?? 0) ^ 0x01;
    const flipped = [...parts.slice(0, 3), blob.toString('base64url')].join(':');
    expect(flipped).not.toBe(stored);
    expect(() => c.decrypt(flipped, 'devices.push_token:7')).toThrow();
    expect(() => c.decrypt(stored, 'devices.push_token:8')).toThrow();
    expect(() => createColumnCipher(parseColumnKeys(`other:${k()}`)).decrypt(stored, 'devices.push_token:7')).toThrow(/unknown key new/);
    expect(() => c.decrypt('plain text', 'x')).toThrow(/not an encrypted/);
  });

  it('validates the key ring', () => {
    expect(() => parseColumnKeys('a:c2hvcnQ=')).toThrow(/32 bytes/);
    expect(() => parseColumnKeys(`a:${k()},a:${k()}`)).toThrow(/twice/);
    expect(() => parseColumnKeys('')).toThrow(/no key/);
    expect(() => createColumnCipher(keys, 'missing')).toThrow(/not among/);
  });
});

describe('columnCipherFromConfig', () => {
  it('refuses the development key in production only', () => {
    expect(columnCipherFromConfig({ NODE_ENV: 'development', COLUMN_ENCRYPTION_KEYS: DEV_COLUMN_KEY, COLUMN_ENCRYPTION_KEY_ID: undefined }).currentKeyId).toBe('dev1');
    expect(() => columnCipherFromConfig({ NODE_ENV: 'production', COLUMN_ENCRYPTION_KEYS: DEV_COLUMN_KEY, COLUMN_ENCRYPTION_KEY_ID: undefined })).toThrow(/production/);
  });
});
