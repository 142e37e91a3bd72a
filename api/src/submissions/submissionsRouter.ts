import { Router } from 'express';
import { z } from 'zod';
import { forbidden, INTENT_LABELS, notFound, SENTIMENT_LABELS, SUBMISSION_STATUSES, type Submission } from '@voyce/core';
import type { ApiDeps } from '../deps';
import { principalOf, requireAuth } from '../auth/requireAuth';
import type { TokenService } from '../auth/tokens';
import { discardRestOfBody } from '../http/discardBody';
import { refuseDeclaredOversize } from './uploadBodyLimit';
import { languageFilter } from '../http/languageFilter';
import { parseOrThrow } from '../http/validate';
import { sendSignedUrl } from '../http/signedRedirect';
import { createSubmission } from './createSubmission';
import { deleteSubmission } from './deleteSubmission';
import { decodeCursor, encodeCursor } from './cursor';
import { presentSubmission, presentTranscription } from './presenter';
import { correctLabels } from './correctLabels';
import type { AnalyticsCache } from '../analytics/analyticsCache';
import { labelsBody, presentLabels } from './labelsSchemas';
import { abilityOfPrincipal, can, shareOf } from '../orgs/permissions';

export const listQuery = z.object({
  status: z.enum(SUBMISSION_STATUSES).optional(),
  category: z.string().max(64).optional(),
  from: z.iso.datetime({ offset: true }).or(z.iso.date()).optional(),
  to: z.iso.datetime({ offset: true }).or(z.iso.date()).optional(),
  userId: z.uuid().optional(),
  /** Only this organisation's submissions: all of them for its analysts and owners, a member's own for a member. */
  orgId: z.uuid().optional(),
  q: z.string().trim().min(1).max(200).optional(),
  intent: z.enum(INTENT_LABELS).optional(),
  sentiment: z.enum(SENTIMENT_LABELS).optional(),
  language: languageFilter,
  /** `results`: each item also carries its `transcription` (text, no word timings) and `analysis`. */
  include: z.enum(['results']).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(200).optional(),
});

const idParam = z.object({ id: z.uuid() });

const patchBody = z
  .object({
    title: z.string().trim().max(200).nullable().optional(),
    description: z.string().trim().max(5000).nullable().optional(),
    category: z.string().trim().max(64).nullable().optional(),
  })
  .strict()
  .refine((b) => Object.keys(b).length > 0, 'give at least one of title, description, category');

const SIGNED_URL_TTL_SECONDS = 300;

export function createSubmissionsRouter(
  deps: ApiDeps,
  tokens: TokenService,
  // Corrections change the dashboard's counts: they invalidate its cached answers.
  analyticsCache: Pick<AnalyticsCache, 'invalidate'>,
  uploadBytes?: { observe(bytes: number): void },
): Router {
  const router = Router();
  router.use(requireAuth(tokens, deps.principals));

  /** What the permission module lets the caller read (orgs/permissions.ts); anything else is 404, never 403. */
  async function loadVisible(req: Parameters<Parameters<typeof router.get>[1]>[0]): Promise<Submission> {
    const parsed = idParam.safeParse(req.params);
    if (!parsed.success) throw notFound('The submission');
    const sub = await deps.submissions.findById(parsed.data.id);
    if (!sub || !can(abilityOfPrincipal(principalOf(req)), 'read', 'Submission', { orgId: sub.orgId, userId: sub.userId })) throw notFound('The submission');
    return sub;
  }

  /** Changes are for the uploader and admins; analysts read but change nothing. */
  async function loadModifiable(req: Parameters<Parameters<typeof router.get>[1]>[0]): Promise<Submission> {
    const sub = await loadVisible(req);
    if (!can(abilityOfPrincipal(principalOf(req)), 'update', 'Submission', { orgId: sub.orgId, userId: sub.userId })) {
      throw forbidden('Analysts can read submissions but not change them.');
    }
    return sub;
  }

  router.post('/upload', async (req, res) => {
    const me = principalOf(req);
    try {
      refuseDeclaredOversize(req, deps.config);
      const { submission, created } = await createSubmission(deps, { body: req, idempotencyKey: req.header('idempotency-key') }, me);
      if (created) uploadBytes?.observe(submission.sizeBytes);
      discardRestOfBody(req, res);
      res.status(202).location(`/api/submissions/${submission.id}`).json({ submission: presentSubmission(submission), ...(created ? {} : { replayed: true }) });
    } catch (err) {
      discardRestOfBody(req, res);
      throw err;
    }
  });

  router.get('/', async (req, res) => {
    const q = parseOrThrow(listQuery, req.query);
    const me = principalOf(req);
    const share = q.orgId ? shareOf(abilityOfPrincipal(me), q.orgId, me.id) : null;
    if (share === 'none') throw notFound('The organisation');
    // Without orgId the answer is as before organisations: a user's own, staff's everyone's.
    const userId = share === 'own' || (!share && me.role === 'user') ? me.id : q.userId;
    const items = await deps.submissions.list({
      ...(userId ? { userId } : {}),
      ...(q.orgId ? { orgId: q.orgId } : {}),
      ...(q.status ? { status: q.status } : {}),
      ...(q.category ? { category: q.category } : {}),
      ...(q.q ? { q: q.q } : {}),
      ...(q.intent ? { intent: q.intent } : {}),
      ...(q.sentiment ? { sentiment: q.sentiment } : {}),
      ...(q.language ? { language: q.language } : {}),
      ...(q.from ? { from: new Date(q.from) } : {}),
      ...(q.to ? { to: new Date(q.to) } : {}),
      ...(q.cursor ? { after: decodeCursor(q.cursor) } : {}),
      limit: q.limit + 1,
    });
    const page = items.slice(0, q.limit);
    const last = page.at(-1);
    const ids = page.map((s) => s.id);
    // One query per page for each kind of result, never one per item.
    const [results, labels] = await Promise.all([q.include === 'results' ? deps.results.findForMany(ids) : null, deps.labels.findForMany(ids)]);
    res.json({
      items: page.map((s) =>
        presentSubmission(s, {
          ...(results ? { transcription: results.transcriptions.get(s.id), analysis: results.analyses.get(s.id) } : {}),
          labels: labels.get(s.id) ?? null,
        }),
      ),
      nextCursor: items.length > q.limit && last ? encodeCursor(last) : null,
    });
  });

  router.get('/:id', async (req, res) => {
    // One round trip instead of two: the results are read alongside the visibility check and dropped if it fails.
    const id = idParam.safeParse(req.params);
    if (!id.success) throw notFound('The submission');
    const [sub, transcription, analysis, labels] = await Promise.all([
      loadVisible(req),
      deps.results.findTranscription(id.data.id),
      deps.results.findAnalysis(id.data.id),
      deps.labels.find(id.data.id),
    ]);
    res.json({ submission: presentSubmission(sub, { transcription, analysis, labels }) });
  });

  router.patch('/:id', async (req, res) => {
    const sub = await loadModifiable(req);
    const body = parseOrThrow(patchBody, req.body, 422);
    const updated = await deps.submissions.update(sub.id, body);
    if (!updated) throw notFound('The submission');
    const [transcription, analysis, labels] = await Promise.all([deps.results.findTranscription(sub.id), deps.results.findAnalysis(sub.id), deps.labels.find(sub.id)]);
    res.json({ submission: presentSubmission(updated, { transcription, analysis, labels }) });
  });

  /**
   * A person's correction of the analysis, beside it (API.md "Corrections"): 404 when the caller cannot see the
   * submission, 403 when they see it but may not correct it (the permission module's `correct`).
   */
  router.put('/:id/labels', async (req, res) => {
    const sub = await loadVisible(req);
    const me = principalOf(req);
    if (!can(abilityOfPrincipal(me), 'correct', 'Submission', { orgId: sub.orgId, userId: sub.userId })) {
      throw forbidden('Only the person who sent it and the analysts and owners of its organisation can correct it.');
    }
    const labels = await correctLabels(deps, sub, parseOrThrow(labelsBody, req.body), me.id, analyticsCache);
    res.json({ labels: labels ? presentLabels(labels) : null });
  });

  router.delete('/:id', async (req, res) => {
    const sub = await loadModifiable(req);
    await deleteSubmission(deps, sub, principalOf(req).id);
    res.status(204).end();
  });

  router.get('/:id/audio', async (req, res) => {
    const sub = await loadVisible(req);
    const location = sub.audioBlob ? ('audio' as const) : sub.stagingBlob ? ('staging' as const) : null;
    const name = sub.audioBlob ?? sub.stagingBlob;
    if (!location || !name) throw notFound('The audio');
    sendSignedUrl(req, res, await deps.blob.readUrl(location, name, SIGNED_URL_TTL_SECONDS), SIGNED_URL_TTL_SECONDS);
  });

  router.get('/:id/screenshot', async (req, res) => {
    const sub = await loadVisible(req);
    if (!sub.screenshot) throw notFound('The screenshot');
    const url = await deps.blob.readUrl('audio', sub.screenshot.blob, SIGNED_URL_TTL_SECONDS, { contentType: sub.screenshot.contentType });
    sendSignedUrl(req, res, url, SIGNED_URL_TTL_SECONDS);
  });

  router.get('/:id/transcription', async (req, res) => {
    const sub = await loadVisible(req);
    const transcription = await deps.results.findTranscription(sub.id);
    if (!transcription) throw notFound('The transcription');
    res.json(presentTranscription(transcription));
  });

  return router;
}
