/**
 * The origin (scheme://host[:port]) that signed blob URLs point at, read from an Azure Storage connection
 * string: the web app's Content-Security-Policy must let `<audio>` and `<img>` load from there.
 */
export function blobOriginOf(connectionString: string): string | null {
  const parts = new Map<string, string>();
  for (const pair of connectionString.split(';')) {
    const eq = pair.indexOf('=');
    if (eq > 0) parts.set(pair.slice(0, eq).trim().toLowerCase(), pair.slice(eq + 1).trim());
  }
  if (parts.get('usedevelopmentstorage') === 'true') return 'http://127.0.0.1:10000';
  const endpoint = parts.get('blobendpoint');
  if (endpoint) {
    try {
      return new URL(endpoint).origin;
    } catch {
      return null;
    }
  }
  const account = parts.get('accountname');
  if (!account) return null;
  const protocol = parts.get('defaultendpointsprotocol') ?? 'https';
  return `${protocol}://${account}.blob.${parts.get('endpointsuffix') ?? 'core.windows.net'}`;
}

/**
 * The policy for the app's HTML: helmet's strict defaults, plus signed audio and screenshots from blob
 * storage, microphone recordings played back from `blob:` URLs, and no framing at all.
 */
export function webAppContentSecurityPolicy(blobOrigin: string | null, secure: boolean): string {
  const blob = blobOrigin ? ` ${blobOrigin}` : '';
  return [
    "default-src 'self'",
    "base-uri 'self'",
    "connect-src 'self'",
    `img-src 'self' data: blob:${blob}`,
    `media-src 'self' blob:${blob}`,
    "font-src 'self' data:",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "object-src 'none'",
    "script-src 'self'",
    "script-src-attr 'none'",
    "style-src 'self' 'unsafe-inline'",
    "worker-src 'self' blob:",
    // Only over HTTPS: on a plain-HTTP local stack it would rewrite the blob URLs to https and break them.
    ...(secure ? ['upgrade-insecure-requests'] : []),
  ].join('; ');
}
