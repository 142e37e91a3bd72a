import { configuredServer } from '../../shared/settings';
import { outbox } from '../outboxService';
import { api } from '../session';

type SignInResult = { ok: true; username: string } | { ok: false; message: string };

async function signIn(run: (server: string) => Promise<{ user: { username: string } }>): Promise<SignInResult> {
  try {
    const session = await run(await configuredServer());
    void outbox.flush(true); // anything waiting for a sign-in goes now
    return { ok: true, username: session.user.username };
  } catch (err) {
    return { ok: false, message: err instanceof Error ? err.message : String(err) };
  }
}

/** `auth/login`: username or e-mail and password. */
export const onLogin = ({ login, password }: { login: string; password: string }): Promise<SignInResult> => signIn((server) => api.login(server, login, password));

/** `auth/oauthCode`: finishes the OpenID sign-in the options page ran. */
export const onOauthCode = ({ code, codeVerifier }: { code: string; codeVerifier: string }): Promise<SignInResult> => signIn((server) => api.exchangeOauthCode(server, code, codeVerifier));

/** `auth/logout`. */
export async function onLogout(): Promise<{ ok: true }> {
  await api.logout();
  return { ok: true };
}
