/** Organisation models (API.md "Corrections and organisation models"; migration 016 `org_models`). */
export const ORG_MODEL_STATUSES = ['queued', 'running', 'activated', 'not_better', 'insufficient_labels', 'failed'] as const;
export type OrgModelStatus = (typeof ORG_MODEL_STATUSES)[number];
/** What a finished 05 run can say; `failed` comes from the workflow, never from the job. */
export type OrgTrainingOutcome = 'activated' | 'not_better' | 'insufficient_labels';

/** Accuracy of the active model (`before`) and of the candidate (`after`) on `n` held-out corrections. */
export interface OrgModelEvaluation {
  before: number | null;
  after: number | null;
  n: number;
  [more: string]: unknown;
}

/** One training run of an organisation's model. */
export interface OrgModel {
  id: string;
  orgId: string;
  status: OrgModelStatus;
  active: boolean;
  modelVersion: string | null;
  artifactUri: string | null;
  artifactSha256: string | null;
  /** Corrections the run trained on. */
  labels: number;
  evaluation: OrgModelEvaluation | null;
  workflowId: string | null;
  error: string | null;
  requestedBy: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/** The artifact an organisation's analyses use (its active model). */
export interface ActiveOrgModel {
  orgId: string;
  modelVersion: string;
  artifactUri: string;
  artifactSha256: string;
}

/** One correction as the training job reads it (a JSON line): the transcript and the corrected heads. */
export interface TrainingCorrection {
  text: string;
  intent?: string;
  sentiment?: string;
  /** The primary corrected emotion (the job's emotion head is single-label). */
  emotion?: string;
}

/** The workflow id of one organisation's training run. */
export const orgModelWorkflowId = (orgId: string, id: string) => `org-model-${orgId}-${id}`;
