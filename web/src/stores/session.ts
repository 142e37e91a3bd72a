import { create } from 'zustand';
import type { User } from '../api/types';

/** Where older versions kept `{user, accessToken, refreshToken}`; read once to move the session into the cookie. */
export const LEGACY_STORAGE_KEY = 'voyce.session';
/** Who was signed in last (the profile only, no credential): an offline reload can still record for them. */
const USER_KEY = 'voyce.user';

interface SessionState {
  user: User | null;
  /** In memory only: a reload gets a new one from the HttpOnly refresh cookie (`restoreSession`). */
  accessToken: string | null;
  /** True until the first restore at page load has answered (signed in or not). */
  restoring: boolean;
  signIn(session: { user: User; accessToken: string }): void;
  setAccessToken(accessToken: string): void;
  setUser(user: User): void;
  setRestoring(restoring: boolean): void;
  clear(): void;
}

function loadUser(): User | null {
  try {
    const raw = localStorage.getItem(USER_KEY);
    if (raw) return JSON.parse(raw) as User;
    // An older version's session: its user until the migration has run.
    const legacy = localStorage.getItem(LEGACY_STORAGE_KEY);
    if (legacy) return (JSON.parse(legacy) as { user?: User }).user ?? null;
  } catch {
    // A corrupt entry is the same as none.
  }
  return null;
}

function saveUser(user: User | null): void {
  try {
    if (user) localStorage.setItem(USER_KEY, JSON.stringify(user));
    else localStorage.removeItem(USER_KEY);
  } catch {
    // Storage full or blocked: the session still works for this page.
  }
}

/** The refresh token an older version left in localStorage, if any. */
export function legacyRefreshToken(): string | null {
  try {
    const raw = localStorage.getItem(LEGACY_STORAGE_KEY);
    const token = raw ? (JSON.parse(raw) as { refreshToken?: unknown }).refreshToken : undefined;
    return typeof token === 'string' && token ? token : null;
  } catch {
    return null;
  }
}

export function forgetLegacySession(): void {
  localStorage.removeItem(LEGACY_STORAGE_KEY);
}

/** Tells the other tabs of this browser that the session ended or began (they share the refresh cookie). */
const channel = typeof BroadcastChannel !== 'undefined' ? new BroadcastChannel('voyce-session') : null;

/**
 * Who is signed in, and their access token. The refresh token is never seen by scripts: it lives in the
 * HttpOnly `voyce_refresh` cookie, which the API sets and rotates (`X-Voyce-Session: cookie`). The access token
 * lives in memory only; the user's profile (not a credential) is kept in localStorage for offline reloads.
 */
const remembered = loadUser();

export const useSession = create<SessionState>((set) => ({
  user: remembered,
  accessToken: null,
  restoring: remembered !== null,
  signIn(session) {
    set({ user: session.user, accessToken: session.accessToken, restoring: false });
    saveUser(session.user);
    channel?.postMessage('signed-in');
  },
  setAccessToken(accessToken) {
    set({ accessToken });
  },
  setUser(user) {
    set({ user });
    saveUser(user);
  },
  setRestoring(restoring) {
    set({ restoring });
  },
  clear() {
    const wasSignedIn = useSession.getState().user !== null;
    set({ user: null, accessToken: null, restoring: false });
    saveUser(null);
    if (wasSignedIn) channel?.postMessage('signed-out');
  },
}));

/** What another tab announced; set by the client, which knows how to restore a session. */
let onOtherTab: ((what: 'signed-in' | 'signed-out') => void) | null = null;
export function onSessionChangeInOtherTab(handler: (what: 'signed-in' | 'signed-out') => void): void {
  onOtherTab = handler;
}
if (channel) {
  channel.onmessage = (e: MessageEvent<unknown>) => {
    if (e.data === 'signed-in' || e.data === 'signed-out') onOtherTab?.(e.data);
  };
}
