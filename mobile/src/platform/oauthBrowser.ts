/**
 * The system's sign-in browser for OpenID sign-in through the server (RFC 8252: ASWebAuthenticationSession on
 * iOS, Custom Tabs on Android), behind the app's own interface so tests can fake it.
 */
export interface OauthBrowser {
  /** False where the app cannot receive the redirect (the web build: the web app has its own sign-in). */
  supported: boolean;
  /** Where the sign-in ends: `voyce://oauth` in a build, an `exp://…/--/oauth` address in Expo Go. */
  redirectUri(): string;
  /** Opens `url`; resolves the URL the sign-in ended at (it starts with `redirectUri`), or null when the person closed it. */
  open(url: string, redirectUri: string): Promise<string | null>;
  /** A PKCE pair (RFC 7636, S256). */
  pkce(): Promise<{ verifier: string; challenge: string }>;
  /** A random value for `state`. */
  randomState(): string;
}

/** Base64 (standard or URL alphabet) as base64url without padding. */
export const toBase64Url = (b64: string) => b64.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** base64url of bytes, without relying on btoa or Buffer (neither is everywhere in React Native). */
export function bytesToBase64Url(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const [a = 0, b = 0, c = 0] = [bytes[i], bytes[i + 1], bytes[i + 2]];
    const n = (a << 16) | (b << 8) | c;
    out += ALPHABET[(n >> 18) & 63]! + ALPHABET[(n >> 12) & 63]!;
    if (i + 1 < bytes.length) out += ALPHABET[(n >> 6) & 63]!;
    if (i + 2 < bytes.length) out += ALPHABET[n & 63]!;
  }
  return out;
}
