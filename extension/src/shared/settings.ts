/** The server this build talks to unless the person configures another (build.mjs sets it; see README). */
declare const __VOYCE_SERVER__: string;
export const BUILD_SERVER: string = typeof __VOYCE_SERVER__ === 'string' ? __VOYCE_SERVER__ : 'http://127.0.0.1:3000';

/** A server URL reduced to its origin (`https://voyce.example.com`), or null when it is not http(s). */
export function serverOrigin(input: string): string | null {
  try {
    const url = new URL(input.trim());
    if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
    if (url.username || url.password) return null;
    return url.origin;
  } catch {
    return null;
  }
}

/** The match pattern for host access to exactly that server. */
export const originPattern = (origin: string) => `${origin}/*`;

export async function configuredServer(): Promise<string> {
  const { server } = (await chrome.storage.local.get('server')) as { server?: string };
  return server ?? BUILD_SERVER;
}

/** The web app is served by the API on the same origin (`/submissions/<id>`). */
export const submissionPageUrl = (server: string, id: string) => `${server}/submissions/${encodeURIComponent(id)}`;
