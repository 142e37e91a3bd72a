/**
 * Tells an outage of a part (storage or database unreachable, restarting, overloaded) from every other error, so
 * an upload that meets one answers 503 + Retry-After instead of 500. Bad input never lands here: it is an AppError.
 */

// PostgreSQL: admin/crash shutdown, cannot connect now, and the connection-exception class.
const POSTGRES_OUTAGE_CODES = new Set(['57P01', '57P02', '57P03', '08000', '08001', '08003', '08006']);

type Coded = { name?: unknown; code?: unknown; syscall?: unknown; statusCode?: unknown; message?: unknown; cause?: unknown };

/** Which part an error says is down: 'blob' (Azure Storage), 'postgres', or null for anything else. */
export function outageOf(err: unknown): 'blob' | 'postgres' | null {
  for (let e: unknown = err, depth = 0; typeof e === 'object' && e !== null && depth < 5; e = (e as Coded).cause, depth++) {
    const { name, code, syscall, statusCode, message } = e as Coded;
    if (name === 'RestError') {
      // The storage SDK's own error: no status means it never got an answer; 5xx means the service is failing.
      return statusCode === undefined || (typeof statusCode === 'number' && statusCode >= 500) ? 'blob' : null;
    }
    if (typeof code === 'string' && POSTGRES_OUTAGE_CODES.has(code)) return 'postgres';
    if (typeof message === 'string' && /Connection terminated|Timeout acquiring a connection|the database system is (starting up|shutting down)/.test(message)) return 'postgres';
    // A failed connect (not a reset of the client's own upload socket): the database pool's, since storage errors are RestErrors.
    if (syscall === 'connect' || code === 'ECONNREFUSED') return 'postgres';
  }
  return null;
}
