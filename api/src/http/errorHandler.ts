import type { ErrorRequestHandler, RequestHandler } from 'express';
import { AppError, type Logger } from '@voyce/core';
import { RateLimitedError } from './rateLimited';
import { ServiceUnavailableError } from './serviceUnavailable';

/** Unknown routes answer in the API's error shape too. */
export const notFoundHandler: RequestHandler = (req, _res, next) => {
  next(new AppError('route_not_found', `No route for ${req.method} ${req.path}.`, 404));
};

/**
 * The one place that writes `{error: {code, message, details?}}`. Expected errors keep their status; body-parser
 * errors become 400/413; anything else is logged with its stack and answered as a plain 500 without internals.
 */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, _next) => {
    let appError: AppError;
    if (err instanceof AppError) {
      appError = err;
    } else if (isBodyParserError(err)) {
      appError =
        err.type === 'entity.too.large'
          ? new AppError('payload_too_large', 'The request body is too large.', 413)
          : new AppError('malformed_body', 'The request body is not valid JSON.', 400);
    } else if (isClientHttpError(err)) {
      // e.g. the router's URIError for a path that is not valid percent-encoded UTF-8 (status 400)
      appError = new AppError('invalid_request', 'The request could not be read (bad encoding or framing).', err.status);
    } else {
      logger.error({ err, method: req.method, path: req.path }, 'unhandled error');
      appError = new AppError('internal_error', 'Something went wrong on our side; please try again.', 500);
    }
    if (res.headersSent) {
      res.end();
      return;
    }
    if (appError instanceof RateLimitedError || appError instanceof ServiceUnavailableError) res.setHeader('Retry-After', String(Math.max(1, Math.ceil(appError.retryAfterSeconds))));
    res.status(appError.status).json({
      error: { code: appError.code, message: appError.message, ...(appError.details === undefined ? {} : { details: appError.details }) },
    });
  };
}

function isBodyParserError(err: unknown): err is { type: string; status: number } {
  return typeof err === 'object' && err !== null && 'type' in err && typeof (err as { type: unknown }).type === 'string' && 'status' in err;
}

/** http-errors style errors from Express and its parsers carry a 4xx `status` of the client's making. */
function isClientHttpError(err: unknown): err is { status: number } {
  const status = typeof err === 'object' && err !== null ? (err as { status?: unknown }).status : undefined;
  return typeof status === 'number' && status >= 400 && status < 500;
}
