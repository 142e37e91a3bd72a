import type { Run, RunOutput, SubmitRunRequest } from './types';

/** An error answer of the Jobs API; `transient` says whether retrying the same call may succeed. */
export class DatabricksApiError extends Error {
  override readonly name = 'DatabricksApiError';
  constructor(
    message: string,
    readonly status: number,
    readonly errorCode: string,
    readonly transient: boolean,
  ) {
    super(message);
  }
}

export interface JobsClientOptions {
  host: string;
  token: string;
  /** Per-request timeout; the Jobs API answers run calls in well under a second. */
  timeoutMs?: number;
  fetchImpl?: typeof fetch;
}

/** A thin, typed client of the Jobs API 2.1 runs endpoints; works the same against a workspace and the local runtime. */
export function createJobsClient(opts: JobsClientOptions) {
  const base = opts.host.replace(/\/+$/, '');
  const doFetch = opts.fetchImpl ?? fetch;
  const timeoutMs = opts.timeoutMs ?? 30_000;

  async function call<T>(method: 'GET' | 'POST', path: string, body?: unknown, query?: Record<string, string | number | boolean>): Promise<T> {
    const url = new URL(`${base}/api/2.1/jobs/${path}`);
    for (const [k, v] of Object.entries(query ?? {})) url.searchParams.set(k, String(v));
    let res: Response;
    try {
      res = await doFetch(url, {
        method,
        headers: { authorization: `Bearer ${opts.token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (err) {
      throw new DatabricksApiError(`Jobs API ${path} unreachable: ${(err as Error).message}`, 0, 'UNREACHABLE', true);
    }
    const text = await res.text();
    if (!res.ok) {
      let code = 'HTTP_' + res.status;
      let message = text.slice(0, 500);
      try {
        const parsed = JSON.parse(text) as { error_code?: string; message?: string };
        code = parsed.error_code ?? code;
        message = parsed.message ?? message;
      } catch {
        // not JSON: keep the raw text
      }
      const transient = res.status === 429 || res.status >= 500 || code === 'TEMPORARILY_UNAVAILABLE';
      throw new DatabricksApiError(`Jobs API ${path} answered ${res.status} ${code}: ${message}`, res.status, code, transient);
    }
    return JSON.parse(text || '{}') as T;
  }

  return {
    /** Submits a one-time run; the same idempotency token returns the same run instead of a second one. */
    submitRun: (req: SubmitRunRequest) => call<{ run_id: number }>('POST', 'runs/submit', req),
    getRun: (runId: number) => call<Run>('GET', 'runs/get', undefined, { run_id: runId }),
    /** Output of a task run (for a multi-task run, pass the task's own run id). */
    getRunOutput: (runId: number) => call<RunOutput>('GET', 'runs/get-output', undefined, { run_id: runId }),
    cancelRun: (runId: number) => call<Record<string, never>>('POST', 'runs/cancel', { run_id: runId }),
    listRuns: (query: { limit?: number; offset?: number; active_only?: boolean } = {}) =>
      call<{ runs?: Run[]; has_more?: boolean }>('GET', 'runs/list', undefined, query),
  };
}

export type JobsClient = ReturnType<typeof createJobsClient>;
