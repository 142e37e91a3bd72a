/**
 * `npm run bench:api`: seeds 100,000 submissions with transcripts and analyses, starts the real API as its
 * own process, and prints p50/p95/p99 latency and requests per second at 50 concurrent connections for the
 * submission list, a detail, a full-text search, the dashboard and sentiment trends; then the time and the
 * API's memory growth to export every row, and 10 MB upload latency. Its own stack, stopped at the end.
 */
import { randomBytes } from 'node:crypto';
import autocannon from 'autocannon';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { backup, createBlobStore, createDb, migrateLatest, restore } from '@voyce/core';
import { ensureDatabase } from '../scripts/stack/postgres';
import { DEFAULT_TEST_DATABASE_URL, startInfrastructure } from '../scripts/stack';
import { dropDatabase, perRunDatabaseUrl } from '../scripts/stack/testDatabase';
import { startApi } from '../scripts/stack/apps';
import { findFreePort } from '../scripts/stack/ports';
import { ApiClient } from '../test/support/apiClient';
import { seedSubmissions } from './seed';

const ROWS = Number(process.env.BENCH_ROWS ?? 100_000);
const CONNECTIONS = 50;
const DURATION_S = Number(process.env.BENCH_SECONDS ?? 10);

async function load(title: string, url: string, token: string) {
  const result = await autocannon({ url, connections: CONNECTIONS, duration: DURATION_S, headers: { authorization: `Bearer ${token}` } });
  const l = result.latency;
  const bad = result.non2xx + result.errors;
  console.log(
    `${title.padEnd(34)} p50 ${String(l.p50).padStart(4)} ms  p95 ${String(l.p97_5 >= 0 ? pct(result, 95) : '-').padStart(4)} ms  p99 ${String(l.p99).padStart(4)} ms  ${Math.round(result.requests.average).toString().padStart(5)} req/s${bad ? `  (${bad} errors!)` : ''}`,
  );
}

/** autocannon reports p97.5 rather than p95; interpolate p95 between its p90 and p97.5. */
function pct(result: autocannon.Result, p: 95): number {
  const l = result.latency as unknown as Record<string, number>;
  const p90 = l.p90 ?? 0;
  const p975 = l.p97_5 ?? 0;
  return Math.round(p90 + ((p975 - p90) * (p - 90)) / 7.5);
}

async function rssOf(base: string): Promise<number> {
  const text = await (await fetch(`${base}/metrics`)).text();
  const m = /^process_resident_memory_bytes (\d+(?:\.\d+)?(?:e\+\d+)?)$/m.exec(text);
  return m ? Number(m[1]) : 0;
}

async function main() {
  // A database of its own, dropped at the end: the figures never depend on what an earlier run left.
  const databaseUrl = perRunDatabaseUrl(process.env.TEST_DATABASE_URL || DEFAULT_TEST_DATABASE_URL);
  const stack = await startInfrastructure({ mode: 'test', databaseUrl });
  const port = await findFreePort();
  const base = `http://127.0.0.1:${port}`;
  try {
    const db = createDb(stack.env.DATABASE_URL, 4);
    await migrateLatest(db);
    const t0 = Date.now();
    await seedSubmissions(db, ROWS, 1000);
    console.log(`seeded ${ROWS} submissions with transcripts and analyses in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

    const env = { ...process.env, ...stack.env, LOG_LEVEL: 'warn', RATE_LIMIT_ENABLED: 'false' };
    const api = await startApi(port, { env, logDir: `${stack.dataDir}/logs`, quiet: true });
    try {
      const user = new ApiClient(base);
      await user.registerFresh();
      const analyst = new ApiClient(base);
      const a = await analyst.registerFresh();
      await db('users').where({ id: a.id }).update({ role: 'analyst' });
      const [seedUser] = await db('users').where('username', 'seed1').select('id');
      // Hand seed1's submissions to the user, in their personal organisation (row-level security follows org_id).
      const me = (await user.json('GET', '/api/auth/me')).body.user.id as string;
      const personal = (await db('organisations').where({ personal_user_id: me }).first('id')) as { id: string };
      const moved = db('voice_submissions').where({ user_id: seedUser.id }).select('id');
      for (const table of ['transcriptions', 'analyses']) await db(table).whereIn('submission_id', moved.clone()).update({ org_id: personal.id });
      await db('voice_submissions').where({ user_id: seedUser.id }).update({ user_id: me, org_id: personal.id });
      // As after any bulk load (PostgreSQL's "Populating a Database"): fresh statistics, or the planner guesses.
      // A live database has them from autovacuum's analyze within a minute of such a change.
      await db.raw('ANALYZE');
      const one = (await user.json('GET', '/api/submissions?limit=1')).body.items[0].id as string;

      console.log(`\n${CONNECTIONS} connections, ${DURATION_S} s each, ${ROWS} rows:`);
      await load('list (a user, 20 per page)', `${base}/api/submissions`, user.token);
      await load('list (analyst, everyone)', `${base}/api/submissions`, analyst.token);
      await load('detail', `${base}/api/submissions/${one}`, user.token);
      const s0 = performance.now();
      const single = await fetch(`${base}/api/submissions?q=checkout`, { headers: { authorization: `Bearer ${analyst.token}` } });
      await single.arrayBuffer();
      console.log(`${'search, one request alone'.padEnd(34)} ${Math.round(performance.now() - s0)} ms (status ${single.status})`);
      await load('search "checkout" (analyst)', `${base}/api/submissions?q=checkout`, analyst.token);
      for (const [title, path] of [['dashboard', '/api/analytics/dashboard'], ['sentiment trends', '/api/analytics/sentiment-trends?interval=week&from=2026-01-01']] as const) {
        const c0 = performance.now();
        const r = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${analyst.token}` } });
        await r.arrayBuffer();
        console.log(`${(title + ' cold (one request, cache miss)').padEnd(34)} ${Math.round(performance.now() - c0)} ms (x-cache: ${r.headers.get('x-cache')})`);
      }
      await load('dashboard (analyst, 30 days)', `${base}/api/analytics/dashboard`, analyst.token);
      await load('sentiment trends (analyst, weekly)', `${base}/api/analytics/sentiment-trends?interval=week&from=2026-01-01`, analyst.token);

      const before = await rssOf(base);
      let peak = before;
      const sampler = setInterval(() => void rssOf(base).then((r) => (peak = Math.max(peak, r))), 100);
      const e0 = Date.now();
      const res = await fetch(`${base}/api/analytics/export?format=csv&from=2022-01-01`, { headers: { authorization: `Bearer ${analyst.token}` } });
      let bytes = 0;
      let lines = 0;
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        bytes += chunk.length;
        for (const b of chunk) if (b === 10) lines++;
      }
      clearInterval(sampler);
      console.log(
        `\nexport CSV of all rows (status ${res.status}): ${lines - 1} rows, ${(bytes / 1e6).toFixed(1)} MB in ${((Date.now() - e0) / 1000).toFixed(2)} s; API RSS ${(before / 1e6).toFixed(0)} MB → peak ${(peak / 1e6).toFixed(0)} MB (+${((peak - before) / 1e6).toFixed(0)} MB)`,
      );

      const tenMb = Buffer.concat([Buffer.from('RIFF\0\0\0\0WAVEfmt ', 'latin1'), randomBytes(10 * 1024 * 1024)]);
      const times: number[] = [];
      for (let i = 0; i < 20; i++) {
        const u0 = performance.now();
        const up = await user.upload(tenMb, { filename: 'big.wav' });
        if (up.status !== 202 && up.status !== 503) throw new Error(`upload answered ${up.status}`);
        times.push(performance.now() - u0);
      }
      times.sort((x, y) => x - y);
      console.log(`upload of 10 MB (20 sequential): p50 ${Math.round(times[9] ?? 0)} ms, p95 ${Math.round(times[18] ?? 0)} ms`);

      // Recovery: back up the seeded database (and the uploaded blobs), restore into an empty one.
      const blob = createBlobStore({ connectionString: stack.env.AZURE_STORAGE_CONNECTION_STRING, stagingContainer: 'audio-staging', audioContainer: 'audio' });
      const dir = mkdtempSync(path.join(os.tmpdir(), 'voyce-bench-backup-'));
      const b0 = Date.now();
      const manifest = await backup(db, stack.env.DATABASE_URL, blob, dir);
      const backupS = (Date.now() - b0) / 1000;
      const target = `${databaseUrl}_restore`;
      await ensureDatabase(target);
      const targetDb = createDb(target, 2);
      const targetBlob = createBlobStore({ connectionString: stack.env.AZURE_STORAGE_CONNECTION_STRING, stagingContainer: 'bench-staging-restored', audioContainer: 'bench-audio-restored' });
      const r0 = Date.now();
      await restore(targetDb, target, targetBlob, dir);
      const restoreS = (Date.now() - r0) / 1000;
      await targetDb.destroy();
      await dropDatabase(target);
      console.log(`backup of ${ROWS} submissions + ${manifest.blobs.length} blobs: ${backupS.toFixed(1)} s; restore into empty stores: ${restoreS.toFixed(1)} s`);
    } finally {
      await api.stop();
      await db.destroy();
    }
  } finally {
    await stack.stop();
    await dropDatabase(databaseUrl);
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
