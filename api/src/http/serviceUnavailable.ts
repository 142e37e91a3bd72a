import { AppError } from '@voyce/core';

/** Seconds a client is asked to wait when a part is down: about what the supervisor needs to bring one back. */
export const OUTAGE_RETRY_AFTER_SECONDS = 5;

/** 503 because a part the request needs is down; the error handler turns `retryAfterSeconds` into `Retry-After`. */
export class ServiceUnavailableError extends AppError {
  override readonly name = 'ServiceUnavailableError';
  constructor(
    code: string,
    message: string,
    readonly retryAfterSeconds: number = OUTAGE_RETRY_AFTER_SECONDS,
  ) {
    super(code, message, 503);
  }
}
