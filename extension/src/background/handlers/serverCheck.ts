import { ServerUnreachableError } from '../../shared/api';
import type { ServerCheck } from '../../shared/messages';
import { configuredServer } from '../../shared/settings';
import { DEFAULT_MAX_MS } from '../recorder';
import { api } from '../session';

/** `server/check`: is the configured server reachable, are we signed in there, and its limits. */
export async function onServerCheck(): Promise<ServerCheck> {
  const server = await configuredServer();
  try {
    const config = await api.publicConfig(server);
    const session = await api.session();
    let signedIn = false;
    let username: string | undefined;
    if (session && session.server === server) {
      const me = await api.json<{ user: { username: string } }>('/api/auth/me').catch((err: unknown) => {
        if (err instanceof ServerUnreachableError) throw err;
        return null; // signed out, or the session was refused
      });
      signedIn = !!me;
      username = me?.user.username;
    }
    return { reachable: true, signedIn, ...(username ? { username } : {}), maxAudioMs: config.limits?.maxAudioMs ?? DEFAULT_MAX_MS, maxUploadBytes: config.limits?.maxUploadBytes ?? 25 * 1024 * 1024, oauthProviders: config.oauthProviders ?? [] };
  } catch (err) {
    return { reachable: false, message: err instanceof Error ? err.message : String(err) };
  }
}
