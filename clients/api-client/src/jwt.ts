/** Seconds left before a JWT expires (no signature check: the server does that), or null if unreadable. */
export function secondsUntilExpiry(jwt: string, now = Date.now()): number | null {
  try {
    const part = jwt.split('.')[1];
    if (!part) return null;
    const claims = JSON.parse(atob(part.replace(/-/g, '+').replace(/_/g, '/'))) as { exp?: unknown };
    return typeof claims.exp === 'number' ? claims.exp - now / 1000 : null;
  } catch {
    return null;
  }
}
