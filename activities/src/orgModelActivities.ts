import { Readable } from 'node:stream';
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { z } from 'zod';
import type { BlobStore, OrgModelRepository, OrgTrainingResult } from '@voyce/core';
import type { JobsClient } from '@voyce/databricks';
import { BAD_RUN_OUTPUT_ERROR } from './failures';
import { runNotebook } from './notebookRun';
import type { RunCompletion } from './runEvents/waitForRunEnd';

export const MODEL_TRAINING_NOTEBOOK = '05_model_training';
/** The activities were built without an organisation model repository. */
export const ORG_MODELS_UNAVAILABLE_ERROR = 'OrgModelsUnavailable';

/** What `05_model_training` returns in organisation mode (databricks/python/voyce_ml/org_model_task.py). */
export const orgTrainingOutput = z
  .object({
    status: z.enum(['activated', 'not_better', 'insufficient_labels']),
    org_id: z.string().min(1),
    labels: z.number().int().min(0),
    evaluation: z.looseObject({ before: z.number().nullable(), after: z.number().nullable(), n: z.number().int().min(0) }),
    model_version: z.string().min(1).optional(),
    artifact_path: z.string().min(1).optional(),
    artifact_sha256: z.string().regex(/^[0-9a-f]{64}$/).optional(),
  })
  .refine((o) => o.status !== 'activated' || (o.model_version && o.artifact_path && o.artifact_sha256), 'an activated model names its version, artifact and sha256');

export interface OrgModelRef {
  orgModelId: string;
  orgId: string;
}

export interface ExportedCorrections {
  labels: number;
  /** Staging blob holding the JSON lines. */
  blobName: string;
}

export interface TrainOrgModelInput extends OrgModelRef {
  blobName: string;
}

export interface OrgModelActivityDeps {
  jobs: JobsClient;
  blob: BlobStore;
  notebookRoot: string;
  pollMaxMs: number;
  sasTtlSeconds: number;
  /** Absolute folder the jobs write organisation artifacts to. */
  orgModelsDir: string;
  orgModels?: OrgModelRepository;
  /** How job runs report their end (callback with a fallback poll); polling when absent. */
  runCompletion?: RunCompletion | undefined;
}

/** Activities of `orgModelTrainingWorkflow`: export corrections, run 05 in organisation mode, record the outcome. */
export function createOrgModelActivities(deps: OrgModelActivityDeps) {
  const notebookPath = `${deps.notebookRoot.replace(/\/+$/, '')}/${MODEL_TRAINING_NOTEBOOK}`;
  const repo = (): OrgModelRepository => {
    if (!deps.orgModels) throw ApplicationFailure.nonRetryable('this worker has no organisation model repository', ORG_MODELS_UNAVAILABLE_ERROR);
    return deps.orgModels;
  };

  return {
    /** Writes the organisation's corrections as JSON lines to a staging blob (same name on retry) and marks the run `running`. */
    async exportCorrections({ orgModelId, orgId }: OrgModelRef): Promise<ExportedCorrections> {
      const corrections = await repo().corrections(orgId);
      const blobName = `org-models/${orgId}/${orgModelId}/corrections.jsonl`;
      const body = corrections.map((c) => `${JSON.stringify(c)}\n`).join('');
      await deps.blob.uploadStaging(blobName, Readable.from([Buffer.from(body)]), 'application/x-ndjson');
      await repo().markRunning(orgModelId, corrections.length);
      return { labels: corrections.length, blobName };
    },

    /**
     * Runs `05_model_training` in organisation mode over a read-only URL of the exported corrections, scored against
     * the organisation's active model (or the default). Heartbeats while polling; a retry resumes the same run.
     */
    async trainOrgModel({ orgModelId, orgId, blobName }: TrainOrgModelInput): Promise<OrgTrainingResult> {
      const active = await repo().active(orgId);
      const params: Record<string, string> = {
        org_id: orgId,
        corrections_url: await deps.blob.readUrl('staging', blobName, deps.sasTtlSeconds),
        output_dir: deps.orgModelsDir,
        ...(active ? { active_model_path: active.artifactUri, active_model_sha256: active.artifactSha256 } : {}),
      };
      const run = await runNotebook({ jobs: deps.jobs, notebookPath, stage: `org-model-${orgModelId}`, pollMaxMs: deps.pollMaxMs, timeoutSeconds: 3600, params, completion: deps.runCompletion });
      const parsed = orgTrainingOutput.safeParse(run.output);
      if (!parsed.success) {
        throw ApplicationFailure.nonRetryable(`run ${run.runId} returned an unexpected output: ${parsed.error.message}`, BAD_RUN_OUTPUT_ERROR);
      }
      const out = parsed.data;
      Context.current().heartbeat({ runId: run.runId });
      await deps.blob.delete('staging', blobName).catch(() => undefined); // read by the job; a leftover is overwritten next time
      return {
        status: out.status,
        labels: out.labels,
        evaluation: out.evaluation,
        modelVersion: out.model_version ?? null,
        artifactUri: out.artifact_path ?? null,
        artifactSha256: out.artifact_sha256 ?? null,
      };
    },

    /** Records the outcome; `activated` makes it the organisation's active model in the same transaction. */
    async recordOrgModelOutcome({ orgModelId, result }: { orgModelId: string; result: OrgTrainingResult }): Promise<void> {
      await repo().recordOutcome(orgModelId, result);
    },

    /** Marks the run `failed` with the error (the active model stays). */
    async markOrgModelFailed({ orgModelId, error }: { orgModelId: string; error: string }): Promise<void> {
      await repo().markFailed(orgModelId, error);
    },
  };
}

export type OrgModelActivities = ReturnType<typeof createOrgModelActivities>;
