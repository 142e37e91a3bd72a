/**
 * `npm run bench:api-rls`: the API with row-level security on (DATABASE_APP_ROLE=voyce_app, the default) and
 * off (DATABASE_APP_ROLE='': the owner's role, which bypasses the policies, and no per-checkout scope), on
 * 100,000 seeded submissions spread over 1,000 organisations: p50/p95/p99 of the list, a detail and the
 * dashboard, side by side. Its own stack and database, dropped at the end; prints the load average it ran at.
 */
import os from 'node:os';
import autocannon from 'autocannon';
import { createDb, migrateLatest } from '@voyce/core';
import { DEFAULT_TEST_DATABASE_URL, startInfrastructure } from '../scripts/stack';
import { dropDatabase, perRunDatabaseUrl } from '../scripts/stack/testDatabase';
import { startApi } from '../scripts/stack/apps';
import { findFreePort } from '../scripts/stack/ports';
import { ApiClient } from '../test/support/apiClient';
import { seedSubmissions } from './seed';

const ROWS = Number(process.env.BENCH_ROWS ?? 100_000);
const ORGS = Number(process.env.BENCH_ORGS ?? 1000);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 20);
const DURATION_S = Number(process.env.BENCH_SECONDS ?? 10);

type Figures = { p50: number; p95: number; p99: number; rps: number; bad: number };

async function load(url: string, token: string): Promise<Figures> {
  const r = await autocannon({ url, connections: CONNECTIONS, duration: DURATION_S, headers: { authorization: `Bearer ${token}` } });
  const l = r.latency as unknown as Record<string, number>;
  // autocannon reports p90 and p97.5, not p95: interpolate between them.
  const p95 = (l.p90 ?? 0) + (((l.p97_5 ?? 0) - (l.p90 ?? 0)) * 5) / 7.5;
  return { p50: l.p50 ?? 0, p95: Math.round(p95), p99: l.p99 ?? 0, rps: Math.round(r.requests.average), bad: r.non2xx + r.errors };
}

async function main() {
  const databaseUrl = perRunDatabaseUrl(process.env.TEST_DATABASE_URL || DEFAULT_TEST_DATABASE_URL);
  const stack = await startInfrastructure({ mode: 'test', databaseUrl });
  const db = createDb(stack.env.DATABASE_URL, 4);
  try {
    await migrateLatest(db);
    const t0 = Date.now();
    // One user per organisation: every seeded user's submissions land in their personal organisation.
    await seedSubmissions(db, ROWS, ORGS);
    const orgCount = (await db('organisations').count('* as n').first()) as { n: number };
    console.log(`seeded ${ROWS} submissions over ${orgCount.n} organisations in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

    const routes: [string, string][] = [];
    const results = new Map<string, Partial<Record<'on' | 'off', Figures>>>();
    let token = '';
    for (const mode of ['on', 'off'] as const) {
      const port = await findFreePort();
      const base = `http://127.0.0.1:${port}`;
      const env = { ...process.env, ...stack.env, LOG_LEVEL: 'warn', RATE_LIMIT_ENABLED: 'false', ANALYTICS_CACHE_TTL_SECONDS: '0', DATABASE_APP_ROLE: mode === 'on' ? 'voyce_app' : '' };
      const api = await startApi(port, { env, logDir: `${stack.dataDir}/logs`, quiet: true });
      try {
        if (!token) {
          // A person who is analyst of one seeded organisation (about ROWS/ORGS submissions) besides their own.
          const c = new ApiClient(base);
          const me = await c.registerFresh();
          token = c.token;
          const org = (await db('organisations').where('name', 'seed1').first('id')) as { id: string };
          await db('org_memberships').insert({ org_id: org.id, user_id: me.id, role: 'analyst' });
          const one = (await db('voice_submissions').where({ org_id: org.id, status: 'completed' }).first('id')) as { id: string };
          routes.push(
            ['list (analyst of one org, 20/page)', `/api/submissions?orgId=${org.id}`],
            ['detail', `/api/submissions/${one.id}`],
            ['dashboard (own, 30 days)', '/api/analytics/dashboard'],
          );
        }
        for (const [title, path] of routes) {
          const check = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${token}` } });
          if (check.status !== 200) throw new Error(`${path} answered ${check.status} with RLS ${mode}`);
          results.set(title, { ...results.get(title), [mode]: await load(`${base}${path}`, token) });
        }
      } finally {
        await api.stop();
      }
    }

    const [l1, l5, l15] = os.loadavg().map((v) => v.toFixed(2));
    console.log(`\n${CONNECTIONS} connections, ${DURATION_S} s per route and mode, ${ROWS} rows, ${os.cpus().length} CPUs, load average ${l1} ${l5} ${l15}`);
    const f = (x?: Figures) => (x ? `${String(x.p50).padStart(4)} ${String(x.p95).padStart(4)} ${String(x.p99).padStart(4)} ${String(x.rps).padStart(5)}${x.bad ? ` (${x.bad} errors!)` : ''}` : '-');
    console.log(`${'route'.padEnd(36)} ${'RLS on: p50  p95  p99 ms  req/s'.padEnd(34)} ${'RLS off: p50  p95  p99 ms  req/s'.padEnd(34)} p99 on/off`);
    for (const [title, r] of results) {
      const ratio = r.on && r.off && r.off.p99 > 0 ? `${(((r.on.p99 - r.off.p99) / r.off.p99) * 100).toFixed(0)} %` : '-';
      console.log(`${title.padEnd(36)} ${f(r.on).padEnd(34)} ${f(r.off).padEnd(34)} ${ratio}`);
    }
  } finally {
    await db.destroy();
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
