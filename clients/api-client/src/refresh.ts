import { ApiError, apiErrorFrom, NetworkError } from './errors';
import type { RefreshMode, RefreshOutcome, TokenStore } from './tokenStore';

/** The header that asks the API for the cookie session: the refresh token only ever in an HttpOnly cookie. */
export const SESSION_HEADERS = { 'x-voyce-session': 'cookie' } as const;

export interface RefreshDeps {
  url: string;
  store: TokenStore;
  mode: RefreshMode;
  fetch: typeof fetch;
}

/** One POST /api/auth/refresh: rotates the tokens and keeps them, or says why not (forgetting a refused session). */
export async function refreshSession({ url, store, mode, fetch }: RefreshDeps): Promise<RefreshOutcome> {
  const held = (await store.load())?.refreshToken ?? null;
  if (mode === 'body' && !held) return { kind: 'signed-out' };
  const post = (refreshToken: string | null) =>
    fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', ...(mode === 'cookie' ? SESSION_HEADERS : {}) },
      ...(mode === 'cookie' ? { credentials: 'same-origin' as const } : {}),
      body: JSON.stringify(refreshToken ? { refreshToken } : {}),
    });
  const refused = (res: Response) => res.status === 401 || res.status === 400;
  let res: Response;
  try {
    res = await post(held);
    // The cookie mode presents a body token once (an older version's), then never again; refused, the cookie
    // may still hold a session of its own.
    if (mode === 'cookie' && held && refused(res)) res = await post(null);
  } catch (err) {
    return { kind: 'unreachable', error: new NetworkError(`Cannot reach ${url}: ${err instanceof Error ? err.message : String(err)}`, err) };
  }
  if (refused(res)) {
    await store.clear();
    return { kind: 'signed-out' };
  }
  if (!res.ok) return { kind: 'failed', error: await apiErrorFrom(res) };
  const tokens = (await res.json()) as { accessToken?: unknown; refreshToken?: unknown };
  if (typeof tokens.accessToken !== 'string') return { kind: 'failed', error: new ApiError(res.status, 'bad_refresh_answer', 'The server answered a refresh without an access token.') };
  await store.save({ accessToken: tokens.accessToken, ...(typeof tokens.refreshToken === 'string' ? { refreshToken: tokens.refreshToken } : {}) });
  return { kind: 'renewed', accessToken: tokens.accessToken };
}
