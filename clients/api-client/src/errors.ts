/**
 * The one error type of the Voyce clients: an answer in the API's error shape (`{error: {code, message,
 * details?}}`, API.md) with its HTTP status, or (status 0) a request that never reached the server.
 */
export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
    /** From a 429's or 503's `Retry-After` (seconds), when the server sent one. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }

  /** The server never answered: offline, DNS, connection refused. */
  get isNetwork(): boolean {
    return this.status === 0;
  }

  /** Field messages from a 422 or 400 (`details: [{field, message}]`), the first message of each field. */
  fieldErrors(): Record<string, string> {
    const out: Record<string, string> = {};
    if (!Array.isArray(this.details)) return out;
    for (const d of this.details as { field?: unknown; message?: unknown }[]) {
      if (typeof d.field === 'string' && typeof d.message === 'string' && !(d.field in out)) out[d.field] = d.message;
    }
    return out;
  }
}

/** The request could not reach the server (offline, DNS, refused, dropped): always worth retrying later. */
export class NetworkError extends ApiError {
  override name = 'NetworkError';
  constructor(message = 'Cannot reach Voyce. Check your connection and try again.', cause?: unknown) {
    super(0, 'network_error', message);
    if (cause !== undefined) (this as { cause?: unknown }).cause = cause;
  }
}

/** No session, or the server refused to renew it: the person must sign in again. */
export class SignedOutError extends Error {
  override name = 'SignedOutError';
}

interface ErrorBody {
  error?: { code?: unknown; message?: unknown; details?: unknown };
}

/** The ApiError of a non-2xx answer; a body that is not the API's error shape keeps a generic message. */
export async function apiErrorFrom(res: Response): Promise<ApiError> {
  let body: ErrorBody | null = null;
  try {
    body = JSON.parse(await res.text()) as ErrorBody;
  } catch {
    // Not JSON (a proxy's error page): keep the generic message.
  }
  const error = body && typeof body === 'object' ? body.error : undefined;
  const code = typeof error?.code === 'string' ? error.code : `http_${res.status}`;
  let message = typeof error?.message === 'string' ? error.message : `The server answered ${res.status}.`;
  const wait = Number(res.headers.get('retry-after'));
  const retryAfterSeconds = Number.isFinite(wait) && wait > 0 ? wait : undefined;
  if (res.status === 429 && retryAfterSeconds) message = `${message} Try again in ${retryAfterSeconds} s.`;
  return new ApiError(res.status, code, message, error?.details, retryAfterSeconds);
}

/** Whether a failed call is worth retrying later with the same request (and the same idempotency key). */
export function isRetryable(err: unknown): boolean {
  if (!(err instanceof ApiError)) return false;
  if (err.isNetwork) return true;
  return err.status >= 500 || err.status === 408 || err.status === 429 || (err.status === 409 && err.code === 'idempotency_key_in_use');
}

/** Human words for an error of any kind. */
export function messageOf(err: unknown): string {
  if (err instanceof Error) return err.message;
  return 'Something went wrong.';
}
