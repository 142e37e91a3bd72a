import { vi } from 'vitest';
import type { User } from '../api/types';
import { useSession } from '../stores/session';

export const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(body === undefined ? null : JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

/** A JWT-shaped token (unsigned; the app only reads its expiry) valid for `seconds`. */
export function token(seconds = 900, sub = 'u1'): string {
  const b64 = (o: unknown) => btoa(JSON.stringify(o)).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
  return `${b64({ alg: 'HS256' })}.${b64({ sub, exp: Math.floor(Date.now() / 1000) + seconds })}.sig`;
}

export const USER: User = { id: '11111111-1111-4111-8111-111111111111', email: 'ann@example.test', username: 'ann', role: 'user', disabled: false, createdAt: '2026-11-01T00:00:00.000Z' };

export function signedInAs(user: Partial<User> = {}): User {
  const u = { ...USER, ...user };
  useSession.getState().signIn({ user: u, accessToken: token() });
  return u;
}

/** Routes fetch calls to handlers by "METHOD /path" (query ignored); unknown calls fail the test. */
export function mockFetch(routes: Record<string, (req: Request) => Response | Promise<Response>>) {
  const fn = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const req = new Request(new URL(String(input instanceof Request ? input.url : input), 'http://localhost'), init);
    const key = `${req.method} ${new URL(req.url).pathname}`;
    const handler = routes[key];
    if (!handler) throw new Error(`unexpected fetch ${key}`);
    return handler(req);
  });
  vi.stubGlobal('fetch', fn);
  return fn;
}
