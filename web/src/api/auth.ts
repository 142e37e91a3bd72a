import { useSession } from '../stores/session';
import { api } from './client';
import type { Session, User } from './types';

/** Sign-in, sign-up and sign-out against `/api/auth`; the session store keeps the result. */
export async function signIn(login: string, password: string): Promise<User> {
  const session = await api<Session>('/api/auth/login', { method: 'POST', body: { login, password }, auth: false });
  useSession.getState().signIn(session);
  return session.user;
}

export async function signUp(email: string, username: string, password: string): Promise<User> {
  const session = await api<Session>('/api/auth/register', { method: 'POST', body: { email, username, password }, auth: false });
  useSession.getState().signIn(session);
  return session.user;
}

/** Revokes the refresh token on the server (best effort) and forgets the session here. */
export async function signOut(): Promise<void> {
  const { refreshToken } = useSession.getState();
  useSession.getState().clear();
  if (refreshToken) await api('/api/auth/logout', { method: 'POST', body: { refreshToken }, auth: false }).catch(() => undefined);
}

/** Finishes an OAuth/OIDC sign-in: the API redirected here with the tokens in the URL fragment. */
export async function finishOauth(fragment: string): Promise<User> {
  const params = new URLSearchParams(fragment.replace(/^#/, ''));
  const accessToken = params.get('accessToken');
  const refreshToken = params.get('refreshToken');
  if (!accessToken || !refreshToken) throw new Error('The sign-in did not return a session. Please try again.');
  const { user } = await api<{ user: User }>('/api/auth/me', { headers: { authorization: `Bearer ${accessToken}` }, auth: false });
  useSession.getState().signIn({ user, accessToken, refreshToken });
  return user;
}

export const requestPasswordReset = (email: string) => api('/api/auth/password-reset/request', { method: 'POST', body: { email }, auth: false });

export const confirmPasswordReset = (token: string, password: string) =>
  api('/api/auth/password-reset/confirm', { method: 'POST', body: { token, password }, auth: false });
