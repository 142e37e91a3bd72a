import type { TokenHolder } from '../api/client';
import type { Tokens, User } from '../api/types';
import type { KeyValue } from '../platform/keyValue';

export interface SessionState {
  loaded: boolean;
  serverUrl: string;
  user: User | null;
  tokens: Tokens | null;
  notifications: boolean;
}

const KEYS = { serverUrl: 'voyce.serverUrl', tokens: 'voyce.tokens', user: 'voyce.user', notifications: 'voyce.notifications' };

/**
 * Who is signed in, against which server, and whether they want notifications; persisted in the
 * KeyValue store so the app opens signed in. Implements TokenHolder so the API client rotates tokens here.
 */
export class SessionStore implements TokenHolder {
  private state: SessionState;
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly kv: KeyValue,
    defaultServerUrl: string,
  ) {
    this.state = { loaded: false, serverUrl: defaultServerUrl, user: null, tokens: null, notifications: true };
  }

  async load(): Promise<void> {
    const [serverUrl, tokens, user, notifications] = await Promise.all([KEYS.serverUrl, KEYS.tokens, KEYS.user, KEYS.notifications].map((k) => this.kv.get(k)));
    this.set({
      loaded: true,
      serverUrl: serverUrl || this.state.serverUrl,
      tokens: tokens ? (JSON.parse(tokens) as Tokens) : null,
      user: user ? (JSON.parse(user) as User) : null,
      notifications: notifications !== 'off',
    });
  }

  get = (): SessionState => this.state;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  tokens(): Tokens | null {
    return this.state.tokens;
  }

  setTokens(tokens: Tokens | null): void {
    this.set(tokens ? { tokens } : { tokens: null, user: null });
    void this.kv.set(KEYS.tokens, tokens ? JSON.stringify(tokens) : null);
    if (!tokens) void this.kv.set(KEYS.user, null);
  }

  setUser(user: User | null): void {
    this.set({ user });
    void this.kv.set(KEYS.user, user ? JSON.stringify(user) : null);
  }

  setServerUrl(serverUrl: string): void {
    this.set({ serverUrl: serverUrl.trim().replace(/\/+$/, '') });
    void this.kv.set(KEYS.serverUrl, this.state.serverUrl);
  }

  setNotifications(on: boolean): void {
    this.set({ notifications: on });
    void this.kv.set(KEYS.notifications, on ? 'on' : 'off');
  }

  private set(patch: Partial<SessionState>): void {
    this.state = { ...this.state, ...patch };
    for (const l of this.listeners) l();
  }
}
