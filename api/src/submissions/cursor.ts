import { badRequest } from '@voyce/core';

/** Opaque keyset cursor: the (createdAt, id) of the last item of a page. */
export const encodeCursor = (s: { createdAt: Date; id: string }): string =>
  Buffer.from(JSON.stringify([s.createdAt.toISOString(), s.id])).toString('base64url');

export function decodeCursor(cursor: string): { createdAt: Date; id: string } {
  try {
    const [iso, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [string, string];
    const createdAt = new Date(iso);
    if (Number.isNaN(createdAt.getTime()) || typeof id !== 'string' || !/^[0-9a-f-]{36}$/i.test(id)) throw new Error('bad');
    return { createdAt, id };
  } catch {
    throw badRequest('invalid_cursor', 'The cursor is not valid; start again from the first page.');
  }
}
