import type { RequestHandler } from 'express';
import { badRequest } from '@voyce/core';

const MAX_DEPTH = 64;

/** True when any string (key or value) in a parsed JSON body or query holds U+0000. */
function containsNul(value: unknown, depth = 0): boolean {
  if (typeof value === 'string') return value.includes('\u0000');
  if (depth > MAX_DEPTH || value === null || typeof value !== 'object') return false;
  for (const [k, v] of Object.entries(value)) if (k.includes('\u0000') || containsNul(v, depth + 1)) return true;
  return false;
}

/**
 * PostgreSQL text cannot hold NUL, so such a string reaching a query is a 500 waiting to happen. Refusing it at
 * the edge keeps "never a 5xx for bad input" true for every route, present and future.
 */
export const rejectNulBytes: RequestHandler = (req, _res, next) => {
  if (containsNul(req.query) || containsNul(req.body)) throw badRequest('invalid_request', 'Text must not contain NUL characters.');
  next();
};
