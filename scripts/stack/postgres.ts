/**
 * PostgreSQL is not a child of ours (it is the machine's server), so here we only make sure it
 * answers — starting the local Debian cluster when the URL is the default local one — and that the
 * database named in the URL exists.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import type { ClientConfig } from 'pg';
import { PostgresUnavailableError, StackError } from './errors';
import { sleep } from './process';

export const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/voyce';
export const DEFAULT_TEST_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/voyce_test';

const START_TIMEOUT_MS = 30_000;
const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

type PgModule = typeof import('pg');

export interface EnsurePostgresResult {
  /** We ran pg_ctlcluster because the server was down. */
  readonly started: boolean;
}

/** The same URL pointing at another database (e.g. the `postgres` maintenance db). */
export function withDatabase(databaseUrl: string, database: string): string {
  const url = new URL(databaseUrl);
  url.pathname = `/${encodeURIComponent(database)}`;
  return url.toString();
}

/** The database name in the URL's path. */
export function databaseName(databaseUrl: string): string {
  const name = decodeURIComponent(new URL(databaseUrl).pathname.replace(/^\//, ''));
  if (!name) throw new StackError(`DATABASE_URL has no database name: ${redact(databaseUrl)}`);
  return name;
}

/** Only the machine's own default cluster may be started by us; anything else is someone else's. */
export function isLocalDefaultServer(databaseUrl: string): boolean {
  const url = new URL(databaseUrl);
  return LOCAL_HOSTS.has(url.hostname) && (url.port === '' || url.port === '5432');
}

/** Make sure a server answers on databaseUrl, starting the local cluster if it is ours to start. */
export async function ensurePostgres(databaseUrl: string): Promise<EnsurePostgresResult> {
  const adminUrl = withDatabase(databaseUrl, 'postgres');
  const firstError = await probe(adminUrl);
  if (firstError === undefined) return { started: false };
  if (!isLocalDefaultServer(databaseUrl)) {
    throw new PostgresUnavailableError(`PostgreSQL does not answer at ${redact(adminUrl)}: ${firstError}`);
  }
  await startLocalClusters();
  const deadline = Date.now() + START_TIMEOUT_MS;
  let lastError: string | undefined = firstError;
  while (Date.now() < deadline) {
    lastError = await probe(adminUrl);
    if (lastError === undefined) return { started: true };
    await sleep(300);
  }
  throw new PostgresUnavailableError(
    `PostgreSQL still does not answer at ${redact(adminUrl)} ${START_TIMEOUT_MS / 1000} s after pg_ctlcluster start: ${lastError}`,
  );
}

/** Create the database named in the URL when it does not exist yet. Returns whether it created it. */
export async function ensureDatabase(databaseUrl: string): Promise<boolean> {
  const name = databaseName(databaseUrl);
  const client = await connect(withDatabase(databaseUrl, 'postgres'));
  try {
    const existing = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (existing.rowCount !== null && existing.rowCount > 0) return false;
    try {
      await client.query(`CREATE DATABASE ${quoteIdentifier(name)}`);
      return true;
    } catch (error) {
      // 42P04 duplicate_database: a concurrent setup (another test run, setup.sh) just created it.
      if ((error as { code?: string }).code === '42P04') return false;
      throw error;
    }
  } finally {
    await client.end();
  }
}

/** ensurePostgres + ensureDatabase: what every entry point needs before using DATABASE_URL. */
export async function ensurePostgresDatabase(databaseUrl: string): Promise<{ started: boolean; created: boolean }> {
  const { started } = await ensurePostgres(databaseUrl);
  const created = await ensureDatabase(databaseUrl);
  return { started, created };
}

/** The URL without its password, for messages. */
export function redact(databaseUrl: string): string {
  try {
    const url = new URL(databaseUrl);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return '<invalid URL>';
  }
}

async function probe(url: string): Promise<string | undefined> {
  try {
    const client = await connect(url);
    await client.end();
    return undefined;
  } catch (error) {
    if (error instanceof StackError) throw error;
    return error instanceof Error ? error.message || error.constructor.name : String(error);
  }
}

async function connect(url: string): Promise<InstanceType<PgModule['Client']>> {
  const pg = await loadPg();
  const config: ClientConfig = { connectionString: url, connectionTimeoutMillis: 3_000 };
  const client = new pg.Client(config);
  // An idle client that loses its server emits 'error'; without a listener that would crash us.
  client.on('error', () => undefined);
  await client.connect();
  return client;
}

/** pg is loaded lazily so a missing install gives a clear message instead of a bare MODULE_NOT_FOUND. */
async function loadPg(): Promise<PgModule> {
  try {
    const mod = (await import('pg')) as PgModule & { default?: PgModule };
    return mod.default ?? mod;
  } catch (error) {
    throw new StackError('the "pg" package is not installed (it comes with @voyce/core); run `npm install`', { cause: error });
  }
}

/** Debian: `pg_ctlcluster <version> main start` for every installed version (normally one). */
async function startLocalClusters(): Promise<void> {
  const configDir = '/etc/postgresql';
  const versions = fs.existsSync(configDir) ? fs.readdirSync(configDir).filter((v) => fs.existsSync(`${configDir}/${v}/main`)) : [];
  if (versions.length === 0) {
    throw new PostgresUnavailableError('PostgreSQL is down and no Debian cluster was found under /etc/postgresql to start');
  }
  for (const version of versions) {
    await new Promise<void>((resolve, reject) => {
      execFile('pg_ctlcluster', ['--skip-systemctl-redirect', version, 'main', 'start'], { timeout: 60_000 }, (error, _stdout, stderr) => {
        // Exit 2 means "already running": a race with another starter, which is fine.
        if (error && (error as { code?: unknown }).code !== 2) {
          reject(new PostgresUnavailableError(`pg_ctlcluster ${version} main start failed: ${(stderr || error.message).trim()}`));
        } else resolve();
      });
    });
  }
}

function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
