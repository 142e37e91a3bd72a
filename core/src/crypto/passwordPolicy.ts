import { dictionary } from '@zxcvbn-ts/language-common';

/**
 * ~49,000 most common passwords from breach corpora, as kept by the zxcvbn-ts project; lower-cased once so
 * the check ignores case ("Password123" is as weak as "password123").
 */
let common: Set<string> | undefined;
const commonPasswords = (): Set<string> => (common ??= new Set((dictionary['passwords-common'] as string[]).map((p) => p.toLowerCase())));

export const PASSWORD_MAX_LENGTH = 256;

/**
 * NIST 800-63B style rules: a minimum length, no composition rules, refuse passwords found in breach lists
 * or equal to the account's own names. Returns the reason, or null when the password is acceptable.
 */
export function passwordProblem(password: string, minLength: number, account: { email?: string; username?: string } = {}): string | null {
  const length = [...password].length;
  if (length < minLength) return `must be at least ${minLength} characters`;
  if (length > PASSWORD_MAX_LENGTH) return `must be at most ${PASSWORD_MAX_LENGTH} characters`;
  const lower = password.toLowerCase();
  if (commonPasswords().has(lower)) return 'is one of the most common passwords; choose another';
  const own = [account.username, account.email, account.email?.split('@')[0]].filter((s): s is string => !!s).map((s) => s.toLowerCase());
  if (own.includes(lower)) return 'must not be your e-mail or username';
  if (new Set(password).size < 3) return 'must not repeat one or two characters';
  return null;
}
