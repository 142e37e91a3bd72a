import { createJobsClient, DatabricksApiError } from './jobsClient';

const fakeFetch = (status: number, body: unknown, seen: { url?: string; init?: RequestInit } = {}) =>
  (async (url: URL | string, init?: RequestInit) => {
    seen.url = String(url);
    seen.init = init;
    return new Response(typeof body === 'string' ? body : JSON.stringify(body), { status });
  }) as typeof fetch;

describe('jobs client', () => {
  it('posts runs/submit with the bearer token and returns the run id', async () => {
    const seen: { url?: string; init?: RequestInit } = {};
    const client = createJobsClient({ host: 'http://jobs.local/', token: 't0k', fetchImpl: fakeFetch(200, { run_id: 42 }, seen) });
    const res = await client.submitRun({ run_name: 'x', tasks: [] });
    expect(res.run_id).toBe(42);
    expect(seen.url).toBe('http://jobs.local/api/2.1/jobs/runs/submit');
    expect((seen.init?.headers as Record<string, string>).authorization).toBe('Bearer t0k');
  });

  it('puts the run id in the query of runs/get', async () => {
    const seen: { url?: string } = {};
    const client = createJobsClient({ host: 'http://jobs.local', token: '', fetchImpl: fakeFetch(200, { run_id: 7, state: { life_cycle_state: 'RUNNING' } }, seen) });
    await client.getRun(7);
    expect(seen.url).toBe('http://jobs.local/api/2.1/jobs/runs/get?run_id=7');
  });

  it('marks 5xx and 429 transient and 4xx permanent, keeping the API error code', async () => {
    const c500 = createJobsClient({ host: 'http://j', token: '', fetchImpl: fakeFetch(503, { error_code: 'TEMPORARILY_UNAVAILABLE', message: 'busy' }) });
    await expect(c500.getRun(1)).rejects.toMatchObject({ transient: true, errorCode: 'TEMPORARILY_UNAVAILABLE' });
    const c404 = createJobsClient({ host: 'http://j', token: '', fetchImpl: fakeFetch(404, { error_code: 'RESOURCE_DOES_NOT_EXIST', message: 'no run' }) });
    await expect(c404.getRun(1)).rejects.toMatchObject({ transient: false, status: 404, errorCode: 'RESOURCE_DOES_NOT_EXIST' });
  });

  it('turns a network failure into a transient error', async () => {
    const client = createJobsClient({ host: 'http://j', token: '', fetchImpl: (async () => { throw new TypeError('fetch failed'); }) as typeof fetch });
    const err = await client.getRun(1).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DatabricksApiError);
    expect((err as DatabricksApiError).transient).toBe(true);
  });
});
