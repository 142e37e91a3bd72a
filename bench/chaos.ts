/**
 * `npm run bench:chaos [-- --minutes 20]`: the real `npm start` (with its supervisor) under ~70 % of its measured
 * capacity while each part is killed in turn — worker, jobs runtime, Azurite, Temporal, API with SIGKILL,
 * PostgreSQL restarted with pg_ctlcluster (the machine's server: other users of it see the restart too; `--skip
 * postgres` leaves it alone). Prints accepted / completed / lost / duplicated, p99 upload→completed latency during
 * and after the faults, how long each part took to be back, and the RSS of each process at start and end.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createDb, type Db } from '@voyce/core';
import { DEFAULT_TEST_DATABASE_URL } from '../scripts/stack';
import { ensureDatabase } from '../scripts/stack/postgres';
import { launchSupervisedStack, type SupervisedPartName, type SupervisedStack } from '../scripts/stack/supervisedStack';
import { dropDatabase, perRunDatabaseUrl } from '../scripts/stack/testDatabase';
import { ApiClient } from '../test/support/apiClient';
import { speak } from '../test/support/speech';
import { ChaosLoad, type Tracked } from './chaosLoad';

type Fault = SupervisedPartName | 'postgres';
const FAULTS: readonly Fault[] = ['worker', 'jobs-runtime', 'azurite', 'temporal', 'api', 'postgres'];
const TEXT = 'I tried to export last month report to a spreadsheet, but the download never starts. Please fix it soon.';
/** After a part is back, this long still counts as "during the fault" (the backlog it caused drains). */
const SETTLE_MS = 30_000;

const { values: args } = parseArgs({
  options: {
    minutes: { type: 'string', default: '20' },
    load: { type: 'string', default: '0.7' },
    skip: { type: 'string', multiple: true, default: [] },
  },
});
const minutes = Number(args.minutes);
const loadShare = Number(args.load);
const faults = FAULTS.filter((f) => !(args.skip ?? []).includes(f));

const pct = (xs: number[], q: number) => {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)] ?? NaN;
};
const sec = (ms: number) => (Number.isNaN(ms) ? '–' : `${(ms / 1000).toFixed(1)} s`);
const log = (line: string) => process.stdout.write(`[chaos ${new Date().toISOString().slice(11, 19)}] ${line}\n`);

/** Resident memory of a process group (the part's leader and its children: tsx → node, python → workers), in MB. */
function groupRssMb(pgid: number | null): number {
  if (!pgid) return NaN;
  try {
    const out = execFileSync('ps', ['-o', 'rss=', '-g', String(pgid)], { encoding: 'utf8' });
    return out.split('\n').reduce((sum, line) => sum + (Number(line.trim()) || 0), 0) / 1024;
  } catch {
    return NaN;
  }
}

function rssOf(stack: SupervisedStack): Record<string, number> {
  const rows: Record<string, number> = { 'npm start (supervisor)': groupRssMb(stack.process.pid) };
  for (const part of stack.parts()) rows[part.name] = groupRssMb(part.pid);
  return rows;
}

async function restartPostgres(db: Db): Promise<void> {
  const version = readdirSync('/etc/postgresql')[0] ?? '15';
  execFileSync('pg_ctlcluster', ['--skip-systemctl-redirect', version, 'main', 'restart', '-m', 'fast']);
  for (;;) {
    try {
      await db.raw('select 1');
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

/**
 * Kill one part and wait until it is back; returns [killedAt, backAt]. `onKill` runs right after the kill (an upload
 * into the outage); `rssAtKill` gets the dying instance's RSS, its whole life's growth.
 */
async function inject(stack: SupervisedStack, db: Db, fault: Fault, onKill: () => void, rssAtKill: Record<string, number>): Promise<[number, number]> {
  const killedAt = Date.now();
  if (fault === 'postgres') {
    const restarted = restartPostgres(db);
    onKill();
    await restarted;
    return [killedAt, Date.now()];
  }
  const before = stack.part(fault);
  rssAtKill[fault] = groupRssMb(before.pid);
  process.kill(before.pid as number, 'SIGKILL');
  onKill();
  await stack.waitForPart(fault, 'back', (p) => p.state === 'running' && p.restarts > before.restarts, 300_000);
  return [killedAt, Date.now()];
}

/** Capacity: a burst of clips at once, completions per minute once all are done. */
async function measureCapacity(load: ChaosLoad, burst: number): Promise<number> {
  const t0 = Date.now();
  for (let i = 0; i < burst; i++) load.send(t0 + 120_000);
  await load.drain();
  while (load.openCount() > 0) {
    await load.poll();
    await new Promise((r) => setTimeout(r, 500));
  }
  const done = load.uploads.filter((u) => u.status === 'completed').length;
  return (done / (Date.now() - t0)) * 60_000;
}

async function main(): Promise<void> {
  const databaseUrl = perRunDatabaseUrl(process.env.TEST_DATABASE_URL || DEFAULT_TEST_DATABASE_URL);
  await ensureDatabase(databaseUrl);
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'voyce-chaos-'));
  log(`starting npm start (supervised) in ${dataDir}; load ${loadShare * 100} % of capacity for ${minutes} min; faults: ${faults.join(', ')}`);
  const stack = await launchSupervisedStack({ dataDir, databaseUrl, env: { VOYCE_LIVE_SESSIONS: '1', VOYCE_RESTART_MAX: '8' } });
  const db = createDb(databaseUrl, 2);
  try {
    const client = new ApiClient(stack.apiUrl);
    await client.registerFresh();
    const clip = speak(TEXT, 'wav');

    const warm = new ChaosLoad(client, clip);
    await measureCapacity(warm, 2); // warm-up: first runs load lazily
    const capacityPerMin = await measureCapacity(new ChaosLoad(client, clip), 6);
    const intervalMs = 60_000 / (capacityPerMin * loadShare);
    log(`capacity ${capacityPerMin.toFixed(1)} clips/min → one upload every ${(intervalMs / 1000).toFixed(1)} s`);
    const rssStart = rssOf(stack);
    const loadAvgStart = os.loadavg()[0] ?? NaN;

    const load = new ChaosLoad(client, clip);
    const t0 = Date.now();
    const end = t0 + minutes * 60_000;
    const windows: Array<{ fault: Fault; killedAt: number; backAt: number }> = [];
    const rssAtKill: Record<string, number> = {};
    let stopLoad = false;
    const generator = (async () => {
      for (let next = Date.now(); !stopLoad && Date.now() < end; next += intervalMs) {
        load.send(end + 120_000);
        await new Promise((r) => setTimeout(r, Math.max(0, next + intervalMs - Date.now())));
      }
    })();
    const poller = (async () => {
      while (!stopLoad) {
        await load.poll();
        await new Promise((r) => setTimeout(r, 1000));
      }
    })();
    // Faults spread over the first ~80 % of the run; the rest shows the stack after them.
    const spacing = (minutes * 60_000 * 0.8) / faults.length;
    for (const [i, fault] of faults.entries()) {
      const at = t0 + spacing * (i + 0.5);
      if (Date.now() < at) await new Promise((r) => setTimeout(r, at - Date.now()));
      log(`SIGKILL ${fault}${fault === 'postgres' ? ' (pg_ctlcluster restart -m fast)' : ''}`);
      const [killedAt, backAt] = await inject(stack, db, fault, () => load.send(end + 120_000), rssAtKill);
      windows.push({ fault, killedAt, backAt });
      log(`${fault} back after ${sec(backAt - killedAt)}`);
    }
    await generator;
    log(`load done (${load.uploads.length} uploads); waiting for every accepted submission to end`);
    await load.drain();
    const drainDeadline = Date.now() + 600_000;
    while (load.openCount() > 0 && Date.now() < drainDeadline) await new Promise((r) => setTimeout(r, 1000));
    stopLoad = true;
    await poller;
    const rssEnd = rssOf(stack);
    report(load.uploads, windows, await duplicates(db, load.uploads), { capacityPerMin, rssStart, rssAtKill, rssEnd, loadAvgStart, stack });
  } finally {
    await stack.stop();
    await db.destroy();
    await dropDatabase(databaseUrl).catch(() => undefined);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Submissions with more than one transcription or analysis row, and recordings stored as more than one submission. */
async function duplicates(db: Db, uploads: Tracked[]): Promise<{ rows: number; submissions: number }> {
  const ids = uploads.flatMap((u) => (u.id ? [u.id] : []));
  if (ids.length === 0) return { rows: 0, submissions: 0 };
  const doubled = await db.raw<{ rows: Array<{ n: string }> }>(
    `select count(*) as n from (
       select submission_id from transcriptions where submission_id = any(?) group by submission_id having count(*) > 1
       union select submission_id from analyses where submission_id = any(?) group by submission_id having count(*) > 1) d`,
    [ids, ids],
  );
  const titles = await db.raw<{ rows: Array<{ n: string }> }>(
    'select count(*) as n from (select title from voice_submissions where title = any(?) group by title having count(*) > 1) t',
    [uploads.map((u) => u.key)],
  );
  return { rows: Number(doubled.rows[0]?.n ?? 0), submissions: Number(titles.rows[0]?.n ?? 0) };
}

interface ReportContext {
  capacityPerMin: number;
  rssStart: Record<string, number>;
  rssAtKill: Record<string, number>;
  rssEnd: Record<string, number>;
  loadAvgStart: number;
  stack: SupervisedStack;
}

function report(uploads: Tracked[], windows: Array<{ fault: Fault; killedAt: number; backAt: number }>, dup: { rows: number; submissions: number }, ctx: ReportContext): void {
  const accepted = uploads.filter((u) => u.id !== null);
  const completed = accepted.filter((u) => u.status === 'completed');
  const lost = accepted.filter((u) => u.status !== 'completed');
  const during = (u: Tracked) => windows.some((w) => u.startedAt < w.backAt + SETTLE_MS && (u.completedAt ?? Infinity) > w.killedAt);
  const latency = (list: Tracked[]) => list.flatMap((u) => (u.completedAt ? [u.completedAt - u.startedAt] : []));
  const lastBack = Math.max(...windows.map((w) => w.backAt));
  const inFault = completed.filter(during);
  const after = completed.filter((u) => u.startedAt > lastBack + SETTLE_MS);
  const rows: Array<[string, string]> = [
    ['measured capacity', `${ctx.capacityPerMin.toFixed(1)} clips/min (load ${(loadShare * 100).toFixed(0)} % of it)`],
    ['uploads sent (logical, Idempotency-Key each)', String(uploads.length)],
    ['accepted (202)', String(accepted.length)],
    ['never accepted (gave up retrying)', String(uploads.length - accepted.length)],
    ['answers before acceptance (503 / refused), total', String(uploads.reduce((s, u) => s + u.retries, 0))],
    ['completed', String(completed.length)],
    ['lost (accepted, not completed)', `${lost.length}${lost.length ? ` (${lost.map((u) => `${u.id}: ${u.status}`).join(', ')})` : ''}`],
    ['duplicated (submissions with >1 transcription/analysis row)', String(dup.rows)],
    ['duplicated (one recording stored twice)', String(dup.submissions)],
    [`p99 upload→completed, during faults (n=${inFault.length})`, sec(pct(latency(inFault), 0.99))],
    [`p99 upload→completed, after the last fault (n=${after.length})`, sec(pct(latency(after), 0.99))],
    ['p50 upload→completed, after the last fault', sec(pct(latency(after), 0.5))],
    ...windows.map((w): [string, string] => [`${w.fault} back after`, sec(w.backAt - w.killedAt)]),
    ['restarts counted by the supervisor', ctx.stack.parts().map((p) => `${p.name} ${p.restarts}`).join(', ')],
    ['load average (1 min) at start / end', `${ctx.loadAvgStart.toFixed(2)} / ${(os.loadavg()[0] ?? NaN).toFixed(2)} on ${os.availableParallelism()} cores`],
  ];
  const rss = Object.keys(ctx.rssEnd).map((name): [string, string] => {
    const a = ctx.rssStart[name] ?? NaN;
    const killed = ctx.rssAtKill[name];
    // A killed part: the first instance's growth up to its kill, then the fresh instance at the end.
    const b = killed ?? ctx.rssEnd[name] ?? NaN;
    const growth = `${a.toFixed(0)} MB → ${b.toFixed(0)} MB (${(((b - a) / a) * 100).toFixed(0)} %)`;
    const fresh = killed === undefined ? '' : ` before its kill; fresh instance at the end ${(ctx.rssEnd[name] ?? NaN).toFixed(0)} MB`;
    return [`RSS ${name}`, `${growth}${fresh}`];
  });
  const table = [...rows, ...rss].map(([k, v]) => `| ${k} | ${v} |`).join('\n');
  process.stdout.write(`\n| bench:chaos, ${minutes} min | |\n| --- | --- |\n${table}\n\n`);
  process.stdout.write("RSS is of each part's process group, after warm-up; a killed part's growth is up to its kill.\n");
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
