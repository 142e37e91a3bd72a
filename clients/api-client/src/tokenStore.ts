/** Where an app keeps its session: localStorage/memory (web), SecureStore (mobile), chrome.storage (extension). */
export interface TokenStore {
  /** The signed-in session's tokens; null when nobody is signed in (then no refresh is ever tried). */
  load(): StoredTokens | null | Promise<StoredTokens | null>;
  /** Keeps rotated tokens; `refreshToken` is absent when the server keeps it in the HttpOnly cookie. */
  save(tokens: { accessToken: string; refreshToken?: string }): void | Promise<void>;
  /** The server refused the session: forget it (signed out). */
  clear(): void | Promise<void>;
}

export interface StoredTokens {
  /** Null when the session has none yet (a page load that restores from the refresh cookie). */
  accessToken: string | null;
  /** Absent for the web app's cookie session (or an older version's token to move into the cookie). */
  refreshToken?: string | null;
}

/**
 * How refresh tokens travel: in the JSON body (extension, mobile) or in the HttpOnly cookie of the web app
 * (`X-Voyce-Session: cookie`; a body token present in the store is presented once to move it into the cookie).
 */
export type RefreshMode = 'body' | 'cookie';

/** What a refresh came to. */
export type RefreshOutcome =
  | { kind: 'renewed'; accessToken: string }
  | { kind: 'signed-out' }
  | { kind: 'unreachable'; error: Error }
  | { kind: 'failed'; error: Error };
