import net from 'node:net';
import type { ApiDeps } from '../deps';

export type Check = () => Promise<void>;

/** A part the API depends on: `required` ones must answer before this replica takes traffic. */
export interface DependencyCheck {
  readonly required: boolean;
  readonly check: Check;
}

/**
 * Temporal probes still under way. The client retries an unanswered call on timers until its deadline; a timer
 * that fires after the connection was closed throws "Channel has been shut down" outside any promise, so closing
 * waits for these first (each ends by its deadline, 2.5 s at most).
 */
const temporalProbes = new Set<Promise<unknown>>();

function trackTemporal<T>(call: Promise<T>): Promise<T> {
  temporalProbes.add(call);
  void call.catch(() => undefined).finally(() => temporalProbes.delete(call));
  return call;
}

/** Resolves once every Temporal probe begun so far has ended (answered, failed or past its deadline). */
export async function settleTemporalProbes(): Promise<void> {
  await Promise.allSettled([...temporalProbes]);
}

/** A worker long-polls its task queue for up to about a minute, so "seen within 90 s" means alive. */
const WORKER_SEEN_WITHIN_MS = 90_000;

const withTimeout = (p: Promise<void>, ms: number) =>
  Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms).unref())]);

/**
 * The dependencies without which uploads and reads fail: PostgreSQL, Temporal and Blob storage. The Temporal call
 * carries a deadline, so its client's retries end by themselves instead of outliving the probe.
 */
export function readinessChecks(deps: ApiDeps, timeoutMs = 2500): Record<string, Check> {
  return {
    postgres: async () => {
      await deps.db.raw('select 1');
    },
    temporal: async () => {
      await trackTemporal(deps.temporal.connection.withDeadline(Date.now() + timeoutMs, () => deps.temporal.workflowService.getSystemInfo({})));
    },
    blob: () => deps.blob.ping(),
  };
}

/**
 * Every part, each marked required or not: the required ones above, plus the parts the pipeline needs but the API
 * can do without for a while (submissions wait in Temporal): the jobs runtime, the live recognisers, and the
 * workers polling the task queue.
 */
export function dependencyChecks(deps: ApiDeps): Record<string, DependencyCheck> {
  const required = Object.fromEntries(Object.entries(readinessChecks(deps)).map(([name, check]) => [name, { required: true, check }]));
  return {
    ...required,
    jobs: { required: false, check: () => jobsAnswer(deps) },
    live: { required: false, check: () => liveWorkersAnswer(deps.config.LIVE_WORKER_ADDRESSES) },
    worker: { required: false, check: () => workerPolling(deps) },
  };
}

/** Runs every check concurrently; returns each one's outcome ('ok' or the first line of its error). */
export async function runChecks(checks: Record<string, Check>, timeoutMs = 3000): Promise<Record<string, string>> {
  const entries = await Promise.all(
    Object.entries(checks).map(async ([name, check]) => {
      try {
        await withTimeout(check(), timeoutMs);
        return [name, 'ok'] as const;
      } catch (err) {
        return [name, (err as Error).message.split('\n')[0] ?? 'error'] as const;
      }
    }),
  );
  return Object.fromEntries(entries);
}

/** The Jobs API itself (the local runtime and a Databricks workspace both answer runs/list). */
async function jobsAnswer(deps: ApiDeps): Promise<void> {
  const url = new URL('/api/2.1/jobs/runs/list?limit=1', deps.config.DATABRICKS_HOST);
  const res = await fetch(url, { headers: { authorization: `Bearer ${deps.config.DATABRICKS_TOKEN}` }, signal: AbortSignal.timeout(2500) });
  await res.arrayBuffer();
  if (!res.ok) throw new Error(`jobs API answered ${res.status}`);
}

/** At least one live recogniser accepts a TCP connection. */
async function liveWorkersAnswer(addresses: string): Promise<void> {
  const results = await Promise.allSettled(addresses.split(',').map((address) => tcpConnect(address, 2000)));
  if (!results.some((r) => r.status === 'fulfilled')) throw new Error(`no live worker accepts connections (${addresses})`);
}

/** Some worker has polled the workflow task queue recently (Temporal's own record of its pollers). */
async function workerPolling(deps: ApiDeps): Promise<void> {
  const { pollers } = await trackTemporal(
    deps.temporal.connection.withDeadline(Date.now() + 2500, () =>
      deps.temporal.workflowService.describeTaskQueue({
        namespace: deps.config.TEMPORAL_NAMESPACE,
        taskQueue: { name: deps.config.TEMPORAL_TASK_QUEUE },
      }),
    ),
  );
  const newest = Math.max(0, ...(pollers ?? []).map((p) => timestampMs(p.lastAccessTime)));
  if (Date.now() - newest > WORKER_SEEN_WITHIN_MS) {
    throw new Error(`no worker polled ${deps.config.TEMPORAL_TASK_QUEUE} in the last ${WORKER_SEEN_WITHIN_MS / 1000} s`);
  }
}

function timestampMs(ts: { seconds?: number | { toNumber(): number } | null; nanos?: number | null } | null | undefined): number {
  if (!ts?.seconds) return 0;
  const seconds = typeof ts.seconds === 'number' ? ts.seconds : ts.seconds.toNumber();
  return seconds * 1000 + Math.floor((ts.nanos ?? 0) / 1e6);
}

function tcpConnect(address: string, timeoutMs: number): Promise<void> {
  const index = address.lastIndexOf(':');
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: address.slice(0, index), port: Number(address.slice(index + 1)), timeout: timeoutMs });
    socket.once('connect', () => {
      socket.destroy();
      resolve();
    });
    socket.once('timeout', () => socket.destroy(new Error(`${address}: no answer within ${timeoutMs} ms`)));
    socket.once('error', reject);
  });
}
