jest.setTimeout(120_000);

import { findFreePort } from '../../scripts/stack/ports';
import { startApi, type RunningApi } from '../support/services';

/** Liveness, readiness and metrics on the real stack, and readiness naming what is down. */
describe('service routes', () => {
  let api: RunningApi;
  beforeAll(async () => {
    api = await startApi();
  });
  afterAll(async () => {
    await api?.close();
  });

  it('is ready when PostgreSQL, Temporal and Blob storage answer, and names every other part', async () => {
    const res = await fetch(`${api.url}/ready`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { status: string; checks: Record<string, string> };
    expect(body.checks).toMatchObject({ postgres: 'ok', temporal: 'ok', blob: 'ok', jobs: 'ok', live: 'ok' });
    // No worker of this file polls the task queue; one of an earlier file may have within the last 90 s.
    if (body.checks.worker !== 'ok') expect(body.checks.worker).toMatch(/^no worker polled voyce-submissions in the last 90 s$/);
    expect(body.status).toBe(body.checks.worker === 'ok' ? 'ready' : 'degraded');
  });

  it('serves Prometheus metrics including request latency', async () => {
    await fetch(`${api.url}/health`);
    const text = await (await fetch(`${api.url}/metrics`)).text();
    expect(text).toContain('# TYPE voyce_http_request_duration_seconds histogram');
    expect(text).toContain('process_cpu_user_seconds_total');
    expect(text).toContain('# TYPE voyce_upload_bytes histogram');
    expect(text).toContain('voyce_sse_connections 0');
  });

  it('answers unknown routes in the error shape', async () => {
    const res = await fetch(`${api.url}/api/nowhere`);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: { code: 'route_not_found', message: 'No route for GET /api/nowhere.' } });
  });
});

describe('readiness with Temporal down', () => {
  let api: RunningApi;
  beforeAll(async () => {
    api = await startApi({ TEMPORAL_ADDRESS: `127.0.0.1:${await findFreePort()}` });
  });
  afterAll(async () => {
    await api?.close();
  });

  it('is 503 naming Temporal, while /health stays 200', async () => {
    const res = await fetch(`${api.url}/ready`);
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('5');
    const body = (await res.json()) as { error: { code: string; message: string; details: Record<string, string> } };
    expect(body.error.code).toBe('not_ready');
    expect(body.error.message).toBe('Not ready: temporal does not answer.');
    expect(body.error.details.postgres).toBe('ok');
    expect(body.error.details.temporal).not.toBe('ok');
    expect((await fetch(`${api.url}/health`)).status).toBe(200);
  });

  it('refuses an upload with 503 and keeps nothing when the pipeline cannot start', async () => {
    const reg = await fetch(`${api.url}/api/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: `t${Date.now()}@example.test`, username: `t${Date.now()}`, password: 'correct horse battery staple' }),
    });
    const { accessToken } = (await reg.json()) as { accessToken: string };
    const form = new FormData();
    form.append('audio', new Blob([Buffer.from('fLaC\0\0\0\x22' + 'x'.repeat(100), 'latin1')]), 'a.flac');
    const res = await fetch(`${api.url}/api/submissions/upload`, { method: 'POST', headers: { authorization: `Bearer ${accessToken}` }, body: form });
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('5');
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('pipeline_unavailable');
    const list = await fetch(`${api.url}/api/submissions`, { headers: { authorization: `Bearer ${accessToken}` } });
    expect(((await list.json()) as { items: unknown[] }).items).toEqual([]);
  });
});
