import express, { type Express } from 'express';
import { pinoHttp } from 'pino-http';
import type { ApiDeps } from './deps';
import { createAuthRouter } from './auth/authRouter';
import { createTokenService } from './auth/tokens';
import { errorHandler, notFoundHandler } from './http/errorHandler';
import { createMetrics } from './service/metrics';
import { readinessChecks } from './service/readiness';
import { createServiceRouter } from './service/serviceRouter';
import { createSubmissionsRouter } from './submissions/submissionsRouter';

/** Builds the Express application from its dependencies (no listening, so tests can mount it as they like). */
export function createApp(deps: ApiDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  const tokens = createTokenService(deps.config.JWT_SECRET, deps.config.JWT_ACCESS_TTL_SECONDS);
  const metrics = createMetrics();

  app.use(metrics.middleware);
  app.use(pinoHttp({ logger: deps.logger, autoLogging: { ignore: (req) => req.url === '/health' || req.url === '/metrics' } }));
  app.use(createServiceRouter(readinessChecks(deps), metrics.registry));
  app.use('/api', express.json({ limit: '100kb' }));
  app.use('/api/auth', createAuthRouter(deps.users, tokens));
  app.use('/api/submissions', createSubmissionsRouter(deps, tokens));
  app.use(notFoundHandler);
  app.use(errorHandler(deps.logger));
  return app;
}
