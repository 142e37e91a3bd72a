import { AppError } from '@voyce/core';

/** 429 with the number of seconds the client should wait; the error handler turns it into `Retry-After`. */
export class RateLimitedError extends AppError {
  override readonly name = 'RateLimitedError';
  constructor(
    readonly retryAfterSeconds: number,
    code = 'rate_limited',
    message = 'Too many requests; please wait before trying again.',
  ) {
    super(code, message, 429);
  }
}
