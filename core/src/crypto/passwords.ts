import { hash, verify } from '@node-rs/argon2';

// argon2id with OWASP's recommended minimum (19 MiB, 2 passes); prebuilt native binary, no install script.
const OPTIONS = { memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

/** A dummy hash so that a login for an unknown user costs the same time as one for a known user. */
let dummyHash: Promise<string> | undefined;

/** argon2id hash in PHC string form (salt and parameters inside). */
export const hashPassword = (password: string): Promise<string> => hash(password, OPTIONS);

/** Constant-time verification (inside argon2); always does the work, even without a stored hash. */
export async function verifyPassword(storedHash: string | null, password: string): Promise<boolean> {
  if (!storedHash) {
    dummyHash ??= hashPassword('voyce-timing-equaliser');
    await verify(await dummyHash, password).catch(() => false);
    return false;
  }
  return verify(storedHash, password).catch(() => false);
}
