import type { Db } from './knex';

/**
 * Which organisations' rows a unit of work may touch (row-level security, migration 015): the verified
 * memberships of the caller, or every organisation for platform staff.
 */
export type OrgScope = { all: true } | { all: false; orgIds: readonly string[] };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const scopeSettings = (scope: OrgScope | undefined): [string, string] => {
  const ids = !scope || scope.all ? [] : scope.orgIds;
  for (const id of ids) if (!UUID.test(id)) throw new Error(`Invalid organisation id in scope: ${id}`);
  return [`{${ids.join(',')}}`, scope?.all ? 'on' : 'off'];
};

/**
 * Runs `fn` in one transaction whose settings name the scope. `set_config(..., true)` is transaction-local:
 * it ends with the COMMIT or ROLLBACK, so a pooled connection never carries one request's scope into the next.
 */
export async function withOrgScope<T>(db: Db, scope: OrgScope, fn: (trx: Db) => Promise<T>): Promise<T> {
  const [ids, all] = scopeSettings(scope);
  return db.transaction(async (trx) => {
    await trx.raw(`SELECT set_config('voyce.org_ids', ?, true), set_config('voyce.all_orgs', ?, true)`, [ids, all]);
    return fn(trx);
  });
}

/**
 * Makes every connection `db` hands out carry the scope of the unit of work asking for it (`current()`, the
 * request's AsyncLocalStorage): each checkout from the pool, for a single query or a whole transaction,
 * first sets both settings, so a connection can never serve one request with another's scope, and a query
 * made outside any request (`current()` undefined) sees no organisation's rows at all. It wraps knex's
 * `client.acquireConnection`, through which the query runner, streams and transactions all take connections.
 */
export function scopeConnections(db: Db, current: () => OrgScope | undefined): Db {
  type PgConnection = { query(sql: string, values: unknown[]): Promise<unknown> };
  const client = db.client as unknown as { acquireConnection(): Promise<PgConnection>; releaseConnection(c: PgConnection): Promise<unknown> };
  const acquire = client.acquireConnection.bind(client);
  // The settings each connection holds now (session-level, so they stay between checkouts): a checkout for the
  // scope the connection already has skips the round trip. Only this wrapper sets them outside a transaction;
  // withOrgScope's transaction-local ones end with their transaction, back to these.
  const held = new WeakMap<PgConnection, string>();
  client.acquireConnection = async () => {
    const conn = await acquire();
    const settings = scopeSettings(current());
    const key = settings.join('|');
    if (held.get(conn) === key) return conn;
    try {
      held.delete(conn);
      await conn.query(`SELECT set_config('voyce.org_ids', $1, false), set_config('voyce.all_orgs', $2, false)`, settings);
      held.set(conn, key);
    } catch (err) {
      await client.releaseConnection(conn);
      throw err;
    }
    return conn;
  };
  return db;
}
