/** The one error type of the application layer: a stable code, an HTTP status and a human message. */
export class AppError extends Error {
  override readonly name: string = 'AppError';
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export const badRequest = (code: string, message: string, details?: unknown) => new AppError(code, message, 400, details);
export const unauthenticated = (message = 'Authentication is required.') => new AppError('unauthenticated', message, 401);
export const forbidden = (message = 'You are not allowed to do this.') => new AppError('forbidden', message, 403);
export const notFound = (what: string) => new AppError('not_found', `${what} was not found.`, 404);
export const conflict = (code: string, message: string) => new AppError(code, message, 409);
export const tooLarge = (message: string) => new AppError('payload_too_large', message, 413);
export const unsupportedMedia = (message: string) => new AppError('unsupported_media_type', message, 415);
export const invalidField = (message: string, details?: unknown) => new AppError('validation_failed', message, 422, details);
export const unavailable = (code: string, message: string) => new AppError(code, message, 503);
