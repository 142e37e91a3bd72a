import type { Db } from './knex';
import type { ActiveOrgModel, OrgModel, OrgModelEvaluation, OrgModelStatus, OrgTrainingOutcome, TrainingCorrection } from '../domain/orgModel';

interface OrgModelRow {
  id: string;
  org_id: string;
  status: OrgModelStatus;
  active: boolean;
  model_version: string | null;
  artifact_uri: string | null;
  artifact_sha256: string | null;
  labels: number;
  evaluation: OrgModelEvaluation | null;
  workflow_id: string | null;
  error: string | null;
  requested_by: string | null;
  created_at: Date;
  updated_at: Date;
}

const toModel = (r: OrgModelRow): OrgModel => ({
  id: r.id,
  orgId: r.org_id,
  status: r.status,
  active: r.active,
  modelVersion: r.model_version,
  artifactUri: r.artifact_uri,
  artifactSha256: r.artifact_sha256,
  labels: r.labels,
  evaluation: r.evaluation,
  workflowId: r.workflow_id,
  error: r.error,
  requestedBy: r.requested_by,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

interface ActiveRow {
  org_id: string;
  model_version: string;
  artifact_uri: string;
  artifact_sha256: string;
}
const toActive = (r: ActiveRow): ActiveOrgModel => ({ orgId: r.org_id, modelVersion: r.model_version, artifactUri: r.artifact_uri, artifactSha256: r.artifact_sha256 });

/** A run still going: a second request for the same organisation must wait for it. */
const IN_PROGRESS: OrgModelStatus[] = ['queued', 'running'];
const MAX_ERROR_CHARS = 1000;

/** The result of a finished 05 run, as the workflow records it. */
export interface OrgTrainingResult {
  status: OrgTrainingOutcome;
  labels: number;
  evaluation: OrgModelEvaluation;
  modelVersion?: string | null;
  artifactUri?: string | null;
  artifactSha256?: string | null;
}

/**
 * Organisation models (migration 016 `org_models`) and the corrections they learn from (`submission_labels`).
 * Used by the API under the request's row-level security scope and by the workers across organisations.
 */
export function createOrgModelRepository(db: Db) {
  return {
    /**
     * A new queued run for the organisation, or null while another is queued or running. The check and the
     * insert hold the organisation's advisory lock, so two concurrent requests cannot both start one.
     */
    async beginTraining(orgId: string, requestedBy: string): Promise<OrgModel | null> {
      return db.transaction(async (trx) => {
        await trx.raw("SELECT pg_advisory_xact_lock(hashtextextended('org_models:' || ?, 0))", [orgId]);
        const running = await trx('org_models').where({ org_id: orgId }).whereIn('status', IN_PROGRESS).first('id');
        if (running) return null;
        const [row] = await trx('org_models').insert({ org_id: orgId, status: 'queued', requested_by: requestedBy }).returning<OrgModelRow[]>('*');
        return row ? toModel(row) : null;
      });
    },

    async attachWorkflow(id: string, workflowId: string): Promise<void> {
      await db('org_models').where({ id }).update({ workflow_id: workflowId, updated_at: db.fn.now() });
    },

    /** `running` with the number of corrections exported (a finished run is left as it is). */
    async markRunning(id: string, labels: number): Promise<void> {
      await db('org_models').where({ id }).whereIn('status', IN_PROGRESS).update({ status: 'running', labels, updated_at: db.fn.now() });
    },

    /**
     * Records a finished run; on `activated` the organisation's previous active model steps down and this one
     * becomes active in the same transaction (the partial unique index allows one active row per organisation).
     * Safe to repeat.
     */
    async recordOutcome(id: string, result: OrgTrainingResult): Promise<OrgModel | null> {
      return db.transaction(async (trx) => {
        const current = await trx('org_models').where({ id }).forUpdate().first<OrgModelRow | undefined>();
        if (!current) return null;
        const activate = result.status === 'activated';
        if (activate) await trx('org_models').where({ org_id: current.org_id, active: true }).whereNot({ id }).update({ active: false, updated_at: trx.fn.now() });
        const [row] = await trx('org_models')
          .where({ id })
          .update({
            status: result.status,
            active: activate,
            labels: result.labels,
            evaluation: JSON.stringify(result.evaluation),
            model_version: result.modelVersion ?? null,
            artifact_uri: result.artifactUri ?? null,
            artifact_sha256: result.artifactSha256 ?? null,
            error: null,
            updated_at: trx.fn.now(),
          })
          .returning<OrgModelRow[]>('*');
        return row ? toModel(row) : null;
      });
    },

    /** `failed` with the error; never touches which model is active. */
    async markFailed(id: string, error: string): Promise<void> {
      const clipped = error.length > MAX_ERROR_CHARS ? `${error.slice(0, MAX_ERROR_CHARS)}…` : error;
      await db('org_models').where({ id }).whereIn('status', IN_PROGRESS).update({ status: 'failed', error: clipped, updated_at: db.fn.now() });
    },

    async findById(id: string): Promise<OrgModel | null> {
      const row = await db('org_models').where({ id }).first<OrgModelRow | undefined>();
      return row ? toModel(row) : null;
    },

    /** The organisation's runs, newest first. */
    async list(orgId: string, limit = 100): Promise<OrgModel[]> {
      const rows = await db('org_models').where({ org_id: orgId }).orderBy([{ column: 'created_at', order: 'desc' }, { column: 'id', order: 'desc' }]).limit(limit).select<OrgModelRow[]>('*');
      return rows.map(toModel);
    },

    /** The organisation's active model, if it has one. */
    async active(orgId: string): Promise<ActiveOrgModel | null> {
      const row = await db('org_models').where({ org_id: orgId, active: true }).first<ActiveRow | undefined>('org_id', 'model_version', 'artifact_uri', 'artifact_sha256');
      return row ? toActive(row) : null;
    },

    /** The active model of the organisation a submission belongs to, if it has one. */
    async activeForSubmission(submissionId: string): Promise<ActiveOrgModel | null> {
      const row = await db('org_models as m')
        .join('voice_submissions as s', 's.org_id', 'm.org_id')
        .where({ 's.id': submissionId, 'm.active': true })
        .first<ActiveRow | undefined>('m.org_id', 'm.model_version', 'm.artifact_uri', 'm.artifact_sha256');
      return row ? toActive(row) : null;
    },

    /** Every organisation's active model (batch re-inference walks each organisation with its own). */
    async listActive(): Promise<ActiveOrgModel[]> {
      const rows = await db('org_models').where({ active: true }).orderBy('org_id').select<ActiveRow[]>('org_id', 'model_version', 'artifact_uri', 'artifact_sha256');
      return rows.map(toActive);
    },

    /**
     * The organisation's corrections as the job reads them: each corrected submission's transcript with the heads
     * a person set (the first emotion of a corrected list). Deleted submissions and empty transcripts are left out.
     */
    async corrections(orgId: string): Promise<TrainingCorrection[]> {
      const rows: { text: string; sentiment: string | null; intent: string | null; emotions: unknown }[] = await db('submission_labels as l')
        .join('transcriptions as t', 't.submission_id', 'l.submission_id')
        .join('voice_submissions as s', 's.id', 'l.submission_id')
        .where('l.org_id', orgId)
        .whereNull('s.deleted_at')
        .whereRaw("btrim(t.text) <> ''")
        .orderBy('l.submission_id')
        .select('t.text', 'l.sentiment', 'l.intent', 'l.emotions');
      return rows.flatMap((r) => {
        const first = Array.isArray(r.emotions) ? (r.emotions as unknown[])[0] : undefined;
        const emotion = typeof first === 'string' ? first : undefined;
        const c: TrainingCorrection = { text: r.text };
        if (r.intent) c.intent = r.intent;
        if (r.sentiment) c.sentiment = r.sentiment;
        if (emotion) c.emotion = emotion;
        return c.intent || c.sentiment || c.emotion ? [c] : [];
      });
    },
  };
}

export type OrgModelRepository = ReturnType<typeof createOrgModelRepository>;
