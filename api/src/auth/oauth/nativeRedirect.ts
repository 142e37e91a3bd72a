/**
 * Which redirect URIs native clients may end an OpenID sign-in at (RFC 8252), from `OAUTH_NATIVE_REDIRECTS`
 * patterns. In an http(s) pattern's host a `*` matches one run of letters, digits and dashes (so
 * `https://*.chromiumapp.org/*` admits any extension's `chrome.identity.getRedirectURL()` and nothing like
 * `https://evil.example/.chromiumapp.org/`); anywhere else — paths, custom schemes whose owner is the app — it
 * matches anything but a fragment.
 */
export function createRedirectMatcher(patterns: readonly string[]): (uri: string) => boolean {
  const escape = (s: string) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
  const regexes = patterns.map((pattern) => {
    const web = /^https?:\/\//i.test(pattern);
    const hostEnd = web ? pattern.indexOf('/', pattern.indexOf('://') + 3) : -1;
    let source = '';
    for (let i = 0; i < pattern.length; i++) {
      const ch = pattern[i] ?? '';
      if (ch === '*') source += web && (hostEnd === -1 || i < hostEnd) ? '[A-Za-z0-9-]*' : '[^#]*';
      else source += escape(ch);
    }
    return new RegExp(`^${source}$`, web ? 'i' : '');
  });
  return (uri: string) => {
    if (uri.length > 512 || uri.includes('#') || /[\s\\]/.test(uri)) return false;
    try {
      const parsed = new URL(uri);
      if (parsed.username || parsed.password) return false;
    } catch {
      return false;
    }
    return regexes.some((r) => r.test(uri));
  };
}

/** `uri` with the given query parameters added (the authorization response of RFC 6749 §4.1.2). */
export function withQuery(uri: string, params: Record<string, string | undefined>): string {
  const url = new URL(uri);
  for (const [k, v] of Object.entries(params)) if (v !== undefined) url.searchParams.set(k, v);
  return url.toString();
}
