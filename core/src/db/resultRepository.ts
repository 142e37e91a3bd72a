import type { Db } from './knex';
import type { Analysis, Transcription, TranscriptWord } from '../domain/submission';
import type { SentimentLabel } from '../domain/labels';

export interface TranscriptionInput {
  submissionId: string;
  text: string;
  language: string;
  languageProbability?: number | null;
  languageSource?: 'given' | 'detected' | null;
  confidence: number;
  words: TranscriptWord[];
  model: string;
  modelVersion: string;
  jobRunId: string | null;
  computeMs: number | null;
}

export interface AnalysisInput {
  submissionId: string;
  sentiment: { label: SentimentLabel; score: number; confidence: number };
  emotions?: { label: string; score: number }[];
  intent?: { label: string; confidence: number } | null;
  actionItems?: { text: string; priority: 'high' | 'medium' | 'low' }[];
  keywords?: string[];
  importanceScore?: number | null;
  modelVersion: string;
  jobRunId: string | null;
  computeMs: number | null;
}

interface TranscriptionRow {
  submission_id: string;
  text: string;
  language: string;
  language_probability: number | null;
  language_source: 'given' | 'detected' | null;
  confidence: number;
  words: TranscriptWord[];
  model: string;
  model_version: string;
  job_run_id: string | null;
  compute_ms: number | null;
  created_at: Date;
  updated_at: Date;
}

interface AnalysisRow {
  submission_id: string;
  sentiment: SentimentLabel;
  sentiment_score: number;
  sentiment_confidence: number;
  emotions: Analysis['emotions'];
  intent: string | null;
  intent_confidence: number | null;
  action_items: Analysis['actionItems'];
  keywords: string[];
  importance_score: number | null;
  model_version: string;
  job_run_id: string | null;
  compute_ms: number | null;
  created_at: Date;
  updated_at: Date;
}

const toTranscription = (r: TranscriptionRow): Transcription => ({
  submissionId: r.submission_id,
  text: r.text,
  language: r.language,
  languageProbability: r.language_probability,
  languageSource: r.language_source,
  confidence: r.confidence,
  words: r.words,
  model: r.model,
  modelVersion: r.model_version,
  jobRunId: r.job_run_id,
  computeMs: r.compute_ms,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

const toAnalysis = (r: AnalysisRow): Analysis => ({
  submissionId: r.submission_id,
  sentiment: { label: r.sentiment, score: r.sentiment_score, confidence: r.sentiment_confidence },
  emotions: r.emotions,
  intent: r.intent ? { label: r.intent, confidence: r.intent_confidence ?? 0 } : null,
  actionItems: r.action_items,
  keywords: r.keywords,
  importanceScore: r.importance_score,
  modelVersion: r.model_version,
  jobRunId: r.job_run_id,
  computeMs: r.compute_ms,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

/** Transcriptions and analyses: one row each per submission, upserted so retries and replays never double them. */
export function createResultRepository(db: Db) {
  return {
    async upsertTranscription(t: TranscriptionInput): Promise<void> {
      const row = {
        text: t.text,
        language: t.language,
        language_probability: t.languageProbability ?? null,
        language_source: t.languageSource ?? null,
        confidence: t.confidence,
        words: JSON.stringify(t.words),
        model: t.model,
        model_version: t.modelVersion,
        job_run_id: t.jobRunId,
        compute_ms: t.computeMs,
      };
      await db.transaction(async (trx) => {
        await trx('transcriptions')
          .insert({ submission_id: t.submissionId, ...row })
          .onConflict('submission_id')
          .merge({ ...row, updated_at: trx.fn.now() });
        // The submission is searched and filtered in this language from now on (migration 012).
        await trx('voice_submissions').where({ id: t.submissionId }).update({ detected_language: t.language });
      });
    },
    async upsertAnalysis(a: AnalysisInput): Promise<void> {
      const row = {
        sentiment: a.sentiment.label,
        sentiment_score: a.sentiment.score,
        sentiment_confidence: a.sentiment.confidence,
        emotions: JSON.stringify(a.emotions ?? []),
        intent: a.intent?.label ?? null,
        intent_confidence: a.intent?.confidence ?? null,
        action_items: JSON.stringify(a.actionItems ?? []),
        keywords: JSON.stringify(a.keywords ?? []),
        importance_score: a.importanceScore ?? null,
        model_version: a.modelVersion,
        job_run_id: a.jobRunId,
        compute_ms: a.computeMs,
      };
      await db('analyses')
        .insert({ submission_id: a.submissionId, ...row })
        .onConflict('submission_id')
        .merge({ ...row, updated_at: db.fn.now() });
    },
    async findTranscription(submissionId: string): Promise<Transcription | null> {
      const row = await db<TranscriptionRow>('transcriptions').where({ submission_id: submissionId }).first();
      return row ? toTranscription(row) : null;
    },
    async findAnalysis(submissionId: string): Promise<Analysis | null> {
      const row = await db<AnalysisRow>('analyses').where({ submission_id: submissionId }).first();
      return row ? toAnalysis(row) : null;
    },
    /** Results of a whole page of submissions in two queries; transcriptions without word timings. */
    async findForMany(submissionIds: string[]): Promise<{ transcriptions: Map<string, Transcription>; analyses: Map<string, Analysis> }> {
      if (submissionIds.length === 0) return { transcriptions: new Map(), analyses: new Map() };
      const [tRows, aRows] = await Promise.all([
        db('transcriptions')
          .whereIn('submission_id', submissionIds)
          .select<TranscriptionRow[]>(
            'submission_id', 'text', 'language', 'language_probability', 'language_source', 'confidence', 'model', 'model_version', 'job_run_id', 'compute_ms', 'created_at', 'updated_at',
            db.raw("'[]'::jsonb AS words"),
          ),
        db<AnalysisRow>('analyses').whereIn('submission_id', submissionIds),
      ]);
      return {
        transcriptions: new Map(tRows.map((r) => [r.submission_id, toTranscription(r)])),
        analyses: new Map(aRows.map((r) => [r.submission_id, toAnalysis(r)])),
      };
    },
    async countFor(submissionId: string): Promise<{ transcriptions: number; analyses: number }> {
      const [t] = await db('transcriptions').where({ submission_id: submissionId }).count<{ count: number }[]>({ count: '*' });
      const [a] = await db('analyses').where({ submission_id: submissionId }).count<{ count: number }[]>({ count: '*' });
      return { transcriptions: Number(t?.count ?? 0), analyses: Number(a?.count ?? 0) };
    },
  };
}

export type ResultRepository = ReturnType<typeof createResultRepository>;
