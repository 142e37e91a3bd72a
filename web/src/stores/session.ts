import { create } from 'zustand';
import type { Session, User } from '../api/types';

const STORAGE_KEY = 'voyce.session';

interface SessionState {
  user: User | null;
  accessToken: string | null;
  refreshToken: string | null;
  signIn(session: Session): void;
  setTokens(tokens: { accessToken: string; refreshToken: string }): void;
  setUser(user: User): void;
  clear(): void;
}

function load(): Pick<SessionState, 'user' | 'accessToken' | 'refreshToken'> {
  try {
    const raw = localStorage.getItem(STORAGE_KEY);
    if (raw) {
      const s = JSON.parse(raw) as Partial<Session>;
      if (s.user && s.accessToken && s.refreshToken) return { user: s.user, accessToken: s.accessToken, refreshToken: s.refreshToken };
    }
  } catch {
    // A corrupt entry is the same as none.
  }
  return { user: null, accessToken: null, refreshToken: null };
}

function save(s: Pick<SessionState, 'user' | 'accessToken' | 'refreshToken'>): void {
  if (s.user && s.accessToken && s.refreshToken) localStorage.setItem(STORAGE_KEY, JSON.stringify({ user: s.user, accessToken: s.accessToken, refreshToken: s.refreshToken }));
  else localStorage.removeItem(STORAGE_KEY);
}

/**
 * Who is signed in, and their tokens. Kept in localStorage so a reload stays signed in, and shared between
 * tabs (a rotation in one tab is seen by the others, which must never present a rotated refresh token).
 */
export const useSession = create<SessionState>((set, get) => ({
  ...load(),
  signIn(session) {
    set({ user: session.user, accessToken: session.accessToken, refreshToken: session.refreshToken });
    save(get());
  },
  setTokens(tokens) {
    set(tokens);
    save(get());
  },
  setUser(user) {
    set({ user });
    save(get());
  },
  clear() {
    set({ user: null, accessToken: null, refreshToken: null });
    save(get());
  },
}));

/** Re-reads the stored session (another tab may have rotated the tokens). */
export function reloadSessionFromStorage(): void {
  useSession.setState(load());
}

if (typeof window !== 'undefined') {
  window.addEventListener('storage', (e) => {
    if (e.key === STORAGE_KEY) reloadSessionFromStorage();
  });
}
