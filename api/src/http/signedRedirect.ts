import type { Request, Response } from 'express';

/**
 * Answers with a short-lived signed URL: a 302 to it by default (what `<audio src>` and curl want),
 * or `200 {url, expiresAt}` when the client asks for JSON (`Accept: application/json`), since a
 * browser's fetch() cannot read a cross-origin redirect's Location.
 */
export function sendSignedUrl(req: Request, res: Response, url: string, ttlSeconds: number): void {
  res.setHeader('cache-control', 'private, no-store');
  res.vary('Accept');
  if (req.accepts(['text/html', 'application/json']) === 'application/json' && !req.accepts('text/html')) {
    res.json({ url, expiresAt: new Date(Date.now() + ttlSeconds * 1000).toISOString() });
    return;
  }
  res.redirect(302, url);
}
