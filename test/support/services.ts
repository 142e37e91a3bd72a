import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { loadConfig, migrateLatest, type Role } from '@voyce/core';
import { createApp } from '../../api/src/app';
import { buildApiDeps } from '../../api/src/buildDeps';
import { attachLiveEndpoint } from '../../api/src/live/liveEndpoint';
import { answerExpectContinue } from '../../api/src/submissions/expectContinue';
import { createMetrics } from '../../api/src/service/metrics';
import { startProcess, type ManagedProcess } from '../../scripts/stack/process';
import { REPO_ROOT } from '../../scripts/stack/paths';
import { ApiClient } from './apiClient';

export type EnvOverrides = Record<string, string>;

export interface RunningApi {
  url: string;
  deps: ReturnType<typeof buildApiDeps>;
  close(): Promise<void>;
}

/**
 * Starts the real API in this process on a free port (or on `port`, when a test must know its address before
 * it starts, e.g. for WEB_APP_URL), against the stack in process.env (plus overrides).
 */
export async function startApi(overrides: EnvOverrides = {}, port = 0): Promise<RunningApi> {
  // Each API counts its own rate limits: the suite's files all sign up from 127.0.0.1, and together they pass
  // the per-IP sign-up ceiling within one window. A test about the limits passes its own prefix and ceilings.
  const config = loadConfig({ ...process.env, LOG_LEVEL: 'warn', RATE_LIMIT_PREFIX: `voyce:rl:test-${randomUUID()}:`, ...overrides, PORT: '0' });
  const deps = buildApiDeps(config);
  try {
    await migrateLatest(deps.db);
    await deps.blob.ensureContainers();
  } catch (err) {
    await deps.close(); // its pools and LISTEN connections would otherwise keep jest alive
    throw err;
  }
  const server: Server = await new Promise((resolve) => {
    const metrics = createMetrics();
    const s = createApp(deps, metrics).listen(port, '127.0.0.1', () => resolve(s));
    attachLiveEndpoint(s, deps, metrics.registry);
    answerExpectContinue(s, config);
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    deps,
    async close() {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      await deps.close();
    },
  };
}

/** Starts a worker as its own process (so a test can kill it like a crash would). */
export async function startWorker(overrides: EnvOverrides = {}, name = 'worker'): Promise<ManagedProcess> {
  const proc = startProcess({
    name,
    command: path.join(REPO_ROOT, 'node_modules', '.bin', 'tsx'),
    args: [path.join(REPO_ROOT, 'workers', 'src', 'main.ts')],
    cwd: REPO_ROOT,
    // No hourly batch re-inference schedule from test workers (a test that wants it turns it on).
    env: { ...process.env, LOG_LEVEL: 'warn', WORKER_METRICS_ADDRESS: '', BATCH_INFERENCE_INTERVAL: 'off', ...overrides },
    quiet: true,
    logDir: path.join(process.env.VOYCE_TEST_LOG_DIR ?? path.join(REPO_ROOT, '.data', 'test-logs')),
    stopGraceMs: 15_000,
  });
  await proc.waitForOutput(/worker running/, { timeoutMs: 120_000, what: 'the worker to poll its task queue' });
  return proc;
}

/**
 * The API in this process and a worker process beside it, started together; `close()` stops the worker,
 * then the API. If either fails to start, the other is stopped before the error is thrown.
 */
export async function startApiWithWorker(workerOverrides: EnvOverrides = {}, apiOverrides: EnvOverrides = {}): Promise<RunningApi> {
  const [api, worker] = await Promise.allSettled([startApi(apiOverrides), startWorker(workerOverrides)]);
  if (api.status === 'rejected' || worker.status === 'rejected') {
    if (worker.status === 'fulfilled') await worker.value.stop();
    if (api.status === 'fulfilled') await api.value.close();
    throw api.status === 'rejected' ? api.reason : (worker as PromiseRejectedResult).reason;
  }
  return {
    ...api.value,
    async close() {
      await worker.value.stop();
      await api.value.close();
    },
  };
}

/** A client signed in as a freshly registered user; any other role than `user` is set straight in the database. */
export async function freshClient(api: RunningApi, role: Role = 'user'): Promise<ApiClient> {
  const client = new ApiClient(api.url);
  const { id } = await client.registerFresh();
  if (role !== 'user') await api.deps.users.setRole(id, role);
  return client;
}
