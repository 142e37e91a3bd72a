import { useSession } from '../stores/session';
import { api, SESSION_HEADERS } from './client';
import type { Session, User } from './types';

/**
 * Sign-in, sign-up and sign-out against `/api/auth`, always as a cookie session (`X-Voyce-Session: cookie`):
 * the API keeps the refresh token in an HttpOnly cookie and answers `{user, accessToken}`; the session store
 * keeps those in memory.
 */
export async function signIn(login: string, password: string): Promise<User> {
  const session = await api<Session>('/api/auth/login', { method: 'POST', body: { login, password }, auth: false, headers: SESSION_HEADERS });
  useSession.getState().signIn(session);
  return session.user;
}

export async function signUp(email: string, username: string, password: string): Promise<User> {
  const session = await api<Session>('/api/auth/register', { method: 'POST', body: { email, username, password }, auth: false, headers: SESSION_HEADERS });
  useSession.getState().signIn(session);
  return session.user;
}

/** Ends the cookie's session on the server (which clears the cookie; best effort) and forgets it here. */
export async function signOut(): Promise<void> {
  useSession.getState().clear();
  await api('/api/auth/logout', { method: 'POST', body: {}, auth: false, headers: SESSION_HEADERS }).catch(() => undefined);
}

/**
 * Finishes an OAuth/OIDC sign-in: the API set the refresh cookie and redirected here with the access token
 * (only) in the URL fragment.
 */
export async function finishOauth(fragment: string): Promise<User> {
  const params = new URLSearchParams(fragment.replace(/^#/, ''));
  const accessToken = params.get('accessToken');
  if (!accessToken) throw new Error('The sign-in did not return a session. Please try again.');
  const { user } = await api<{ user: User }>('/api/auth/me', { headers: { authorization: `Bearer ${accessToken}` }, auth: false });
  useSession.getState().signIn({ user, accessToken });
  return user;
}

export const requestPasswordReset = (email: string) => api('/api/auth/password-reset/request', { method: 'POST', body: { email }, auth: false });

export const confirmPasswordReset = (token: string, password: string) =>
  api('/api/auth/password-reset/confirm', { method: 'POST', body: { token, password }, auth: false });

/** Spends the code of the e-mail sent when an account's sign-in ceiling was reached; the API sets this browser's device cookie. */
export const unlockSignIn = (token: string) => api('/api/auth/unlock', { method: 'POST', body: { token }, auth: false });
