import express, { type Express } from 'express';
import { pinoHttp } from 'pino-http';
import { columnCipherFromConfig, createDeviceRepository, createNotificationSettingsRepository } from '@voyce/core';
import type { ApiDeps } from './deps';
import { createAdminRouter } from './admin/adminRouter';
import { createPipelineRouter } from './admin/pipelineRouter';
import { createAnalyticsCache } from './analytics/analyticsCache';
import { createAnalyticsRouter } from './analytics/analyticsRouter';
import { createNotificationsRouter } from './notifications/notificationsRouter';
import { createDevicesRouter } from './devices/devicesRouter';
import { createOrgsRouter } from './orgs/orgsRouter';
import { createAuthRouter } from './auth/authRouter';
import { createTokenService } from './auth/tokens';
import { errorHandler, notFoundHandler } from './http/errorHandler';
import { rejectNulBytes } from './http/rejectNulBytes';
import { createRateLimits } from './http/rateLimits';
import { securityHeaders } from './http/security';
import { createDocsRouter } from './openapi/docsRouter';
import { createMetrics, type Metrics } from './service/metrics';
import { dependencyChecks } from './service/readiness';
import { createServiceRouter } from './service/serviceRouter';
import { registerSupervisorMetrics } from './service/supervisorMetrics';
import { createEventsRouter } from './submissions/eventsRouter';
import { createSubmissionsRouter } from './submissions/submissionsRouter';
import { createWebAppRouter } from './web/webAppRouter';

/** Builds the Express application from its dependencies (no listening, so tests can mount it as they like). */
export function createApp(deps: ApiDeps, metrics: Metrics = createMetrics()): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', deps.config.TRUST_PROXY);
  const tokens = createTokenService(deps.config.JWT_SECRET, deps.config.JWT_ACCESS_TTL_SECONDS);
  const limits = createRateLimits(deps, tokens);

  app.use(metrics.middleware);
  app.use(
    pinoHttp({
      logger: deps.logger,
      autoLogging: { ignore: (req) => req.url === '/health' || req.url === '/metrics' },
      // Never log credentials: the query may carry ?access_token= (EventSource), request headers carry bearer
      // tokens, and the OAuth redirect's Location carries the new tokens in its fragment.
      serializers: {
        req: (req: { method: string; url: string; id: unknown }) => ({ id: req.id, method: req.method, path: req.url.split('?')[0] }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
    }),
  );
  app.use(securityHeaders(deps.config.CORS_ORIGINS));
  registerSupervisorMetrics(metrics.registry, deps.config.VOYCE_SUPERVISOR_STATE_FILE);
  app.use(createServiceRouter(dependencyChecks(deps), metrics.registry, deps.config.VOYCE_SUPERVISOR_STATE_FILE));
  app.use(createDocsRouter(deps.config.PUBLIC_BASE_URL));
  app.use('/api', limits.perIp, limits.perUser);
  app.post('/api/submissions/upload', limits.uploadsPerUser);
  app.use('/api', express.json({ limit: '100kb' }), rejectNulBytes);
  app.use('/api/auth', createAuthRouter(deps, tokens, limits));
  // Before the submissions router: the event stream also authenticates with ?access_token= (EventSource).
  app.use('/api/submissions', createEventsRouter(deps, tokens, deps.events, metrics.sseConnections));
  // One analytics cache: the analytics routes answer from it, corrections in the submissions routes invalidate it.
  const analyticsCache = createAnalyticsCache(deps.redis, deps.config.ANALYTICS_CACHE_TTL_SECONDS, deps.logger);
  app.use('/api/submissions', createSubmissionsRouter(deps, tokens, analyticsCache, metrics.uploadBytes));
  app.use('/api/admin', createAdminRouter(deps, tokens));
  app.use('/api/admin', createPipelineRouter(deps, tokens));
  app.use('/api/analytics', createAnalyticsRouter(deps, tokens, analyticsCache));
  app.use('/api/notifications', createNotificationsRouter(deps, tokens, createNotificationSettingsRepository(deps.appDb, columnCipherFromConfig(deps.config))));
  app.use('/api/orgs', createOrgsRouter(deps, tokens));
  app.use('/api/devices', createDevicesRouter(deps, tokens, createDeviceRepository(deps.appDb)));
  // Last: `/api/config` and the built web app (static files, index.html for client-side routes).
  app.use(createWebAppRouter(deps.config));
  app.use(notFoundHandler);
  app.use(errorHandler(deps.logger));
  return app;
}
