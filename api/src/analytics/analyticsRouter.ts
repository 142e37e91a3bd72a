import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import { Router, type Request, type Response } from 'express';
import { stringify } from 'csv-stringify';
import { z } from 'zod';
import { notFound, SUBMISSION_STATUSES, type AnalyticsScope } from '@voyce/core';
import { createAnalyticsBackend } from './analyticsBackend';
import { principalOf, requireAuth, requireRole } from '../auth/requireAuth';
import type { TokenService } from '../auth/tokens';
import type { ApiDeps } from '../deps';
import { languageFilter } from '../http/languageFilter';
import { parseOrThrow } from '../http/validate';
import type { AnalyticsCache } from './analyticsCache';
import { abilityOfPrincipal, shareOf } from '../orgs/permissions';

const DAY_MS = 86_400_000;
const nextMinute = () => new Date(Math.ceil(Date.now() / 60_000) * 60_000);
const dateParam = z.iso.datetime({ offset: true }).or(z.iso.date());

const rangeQuery = z
  .object({
    from: dateParam.optional(),
    to: dateParam.optional(),
    category: z.string().max(64).optional(),
    userId: z.uuid().optional(),
    language: languageFilter,
    orgId: z.uuid().optional(),
  })
  .transform((q) => ({
    ...q,
    // Default window: the last 30 days, to the next whole minute (so repeated questions share a cache entry).
    to: q.to ? new Date(q.to) : nextMinute(),
    from: q.from ? new Date(q.from) : new Date(nextMinute().getTime() - 30 * DAY_MS),
  }))
  .refine((q) => q.from < q.to, { message: 'from must be before to', path: ['from'] })
  .refine((q) => q.to.getTime() - q.from.getTime() <= 5 * 366 * DAY_MS, { message: 'the range may span at most 5 years', path: ['to'] });

const trendsQuery = z.object({ interval: z.enum(['day', 'week', 'month']).default('day') });
const exportQuery = z.object({ format: z.enum(['csv', 'json']).default('csv'), status: z.enum(SUBMISSION_STATUSES).optional() });

const EXPORT_COLUMNS = [
  'id', 'user_id', 'status', 'title', 'description', 'category', 'language', 'detected_language', 'duration_ms', 'created_at', 'completed_at',
  'transcript', 'transcript_confidence', 'asr_model', 'sentiment', 'sentiment_score', 'intent', 'keywords', 'importance_score', 'model_version',
];

/** Analytics: a user sees their own data, analysts and admins everyone's (optionally one user's). */
export function createAnalyticsRouter(deps: ApiDeps, tokens: TokenService, cache: AnalyticsCache): Router {
  const router = Router();
  const analytics = createAnalyticsBackend(deps.config, deps.appDb); // ANALYTICS_BACKEND: postgres (default) or databricks
  cache.watch(deps.events).catch((err: unknown) => deps.logger.warn({ err }, 'analytics cache will only expire, not invalidate'));
  router.use(requireAuth(tokens, deps.principals));

  /** The cache's answer to one question in one scope, computed on a miss. */
  function fromCache<T>(scope: AnalyticsScope, question: string, compute: () => Promise<T>) {
    const key = `${question}:${scope.orgId ?? ''}:${scope.from.toISOString()}:${scope.to.toISOString()}:${scope.category ?? ''}:${scope.language ?? ''}`;
    return cache.get(scope.userId ? { userId: scope.userId } : {}, key, compute);
  }

  /** Answers from the cache when it can; says which in `x-cache`. */
  async function cached<T>(res: Response, scope: AnalyticsScope, question: string, compute: () => Promise<T>): Promise<T> {
    const { value, cached: hit } = await fromCache(scope, question, compute);
    res.setHeader('x-cache', hit ? 'hit' : 'miss');
    return value;
  }

  function scopeOf(req: Request): AnalyticsScope {
    const q = parseOrThrow(rangeQuery, req.query);
    const me = principalOf(req);
    // With orgId: the caller's share of that organisation (permission module); without: as before organisations.
    const share = q.orgId ? shareOf(abilityOfPrincipal(me), q.orgId, me.id, 'Analytics') : null;
    if (share === 'none') throw notFound('The organisation');
    const userId = share === 'own' || (!share && me.role === 'user') ? me.id : q.userId;
    return { from: q.from, to: q.to, ...(userId ? { userId } : {}), ...(q.orgId ? { orgId: q.orgId } : {}), ...(q.category ? { category: q.category } : {}), ...(q.language ? { language: q.language } : {}) };
  }

  router.get('/dashboard', async (req, res) => {
    const scope = scopeOf(req);
    // Corrections live in PostgreSQL whichever backend answers the rest; cached like it, and invalidated by each
    // correction too (PUT …/labels bumps the same generations), so a new one shows at once.
    const [figures, corrections] = await Promise.all([
      cached(res, scope, 'dashboard', () => analytics.dashboard(scope)),
      fromCache(scope, 'corrections', () => deps.labels.counts(scope)).then((r) => r.value),
    ]);
    res.json({ from: scope.from.toISOString(), to: scope.to.toISOString(), ...figures, corrections });
  });

  router.get('/sentiment-trends', async (req, res) => {
    const { interval } = parseOrThrow(trendsQuery, { interval: req.query.interval });
    const scope = scopeOf(req);
    res.json(await cached(res, scope, `trends:${interval}`, () => analytics.sentimentTrends(scope, interval)));
  });

  router.get('/intents', async (req, res) => {
    const scope = scopeOf(req);
    res.json(await cached(res, scope, 'intents', () => analytics.intents(scope)));
  });

  router.get('/users', requireRole('analyst', 'admin'), async (req, res) => {
    res.json(await analytics.users(scopeOf(req)));
  });

  router.get('/users/:id/stats', async (req, res) => {
    const me = principalOf(req);
    const id = String(req.params.id);
    if (!z.uuid().safeParse(id).success || (me.role === 'user' && id !== me.id)) throw notFound('The user');
    const scope = { ...scopeOf(req), userId: id };
    const [stats] = await analytics.users(scope);
    if (!stats && !(await deps.users.findById(id))) throw notFound('The user');
    res.json(stats ?? { userId: id, submissions: 0, completed: 0, averageSentiment: null, lastSubmissionAt: null });
  });

  /** Streams from a database cursor through CSV or JSON encoding to the socket, with backpressure throughout. */
  router.get('/export', async (req, res) => {
    const { format, status } = parseOrThrow(exportQuery, { format: req.query.format, status: req.query.status });
    const scope = scopeOf(req);
    const rows = analytics.exportStream({ ...scope, ...(status ? { status } : {}) });
    const stamp = new Date().toISOString().slice(0, 10);
    res.setHeader('content-disposition', `attachment; filename="voyce-export-${stamp}.${format}"`);
    if (format === 'csv') {
      res.type('text/csv; charset=utf-8');
      const toCsv = stringify({
        header: true,
        columns: EXPORT_COLUMNS,
        cast: { date: (d) => d.toISOString(), object: (o) => JSON.stringify(o) },
      });
      await pipeline(rows, toCsv, res);
    } else {
      res.type('application/json; charset=utf-8');
      let first = true;
      const toJson = new Transform({
        writableObjectMode: true,
        transform(row, _enc, done) {
          done(null, `${first ? '[\n' : ',\n'}${JSON.stringify(row)}`);
          first = false;
        },
        flush(done) {
          done(null, first ? '[]\n' : '\n]\n');
        },
      });
      await pipeline(rows, toJson, res);
    }
  });

  return router;
}
