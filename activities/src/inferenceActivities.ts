import { ApplicationFailure } from '@temporalio/common';
import type { z } from 'zod';
import type { ActivityDeps, SubmissionRef } from './deps';
import { AUDIO_MISSING_ERROR, BAD_RUN_OUTPUT_ERROR } from './failures';
import { loadStageSubmission } from './stageSubmission';
import { runNotebook } from './notebookRun';
import { sentimentAnalysisOutput, voiceProcessingOutput } from './taskOutputs';

/** Conservative share of the audio's length that transcription takes (measured: 0.07–0.09 on 2 cores). */
const TRANSCRIPTION_SECONDS_PER_AUDIO_SECOND = 0.06;

export interface TranscriptionSummary {
  noSpeech: boolean;
  wordCount: number;
  jobRunId: number;
  computeMs: number | null;
}

export interface AnalysisSummary {
  sentiment: string;
  /** Optional: results recorded before it was added lack it. */
  modelVersion?: string;
  jobRunId: number;
  computeMs: number | null;
}

function parseOutput<T extends z.ZodType>(schema: T, output: unknown, runId: number): z.infer<T> {
  const parsed = schema.safeParse(output);
  if (!parsed.success) {
    // A wrong shape will be wrong again on retry: surface it instead of burning attempts.
    throw ApplicationFailure.nonRetryable(`run ${runId} returned an unexpected output: ${parsed.error.message}`, BAD_RUN_OUTPUT_ERROR);
  }
  return parsed.data;
}

export function createInferenceActivities(deps: ActivityDeps) {
  const notebook = (name: string) => `${deps.notebookRoot.replace(/\/+$/, '')}/${name}`;

  return {
    /** Runs `02_voice_processing` on a read-only SAS URL of the stored audio and upserts the transcription. */
    async transcribe({ submissionId }: SubmissionRef): Promise<TranscriptionSummary> {
      const sub = await loadStageSubmission(deps, submissionId);
      if (!sub.audioBlob) throw ApplicationFailure.nonRetryable(`submission ${submissionId} has no stored audio`, AUDIO_MISSING_ERROR);
      const audioUrl = await deps.blob.readUrl('audio', sub.audioBlob, deps.sasTtlSeconds);
      const run = await runNotebook({
        jobs: deps.jobs,
        notebookPath: notebook('02_voice_processing'),
        stage: 'transcription',
        pollMaxMs: deps.pollMaxMs,
        completion: deps.runCompletion,
        // The models need at least 0.06 s per second of audio here; polling before that only costs CPU.
        ...(sub.durationMs ? { expectedMs: sub.durationMs * TRANSCRIPTION_SECONDS_PER_AUDIO_SECOND } : {}),
        params: {
          submission_id: submissionId,
          audio_url: audioUrl,
          ...(sub.language ? { language: sub.language } : {}),
          ...(deps.transcriptionModel ? { model: deps.transcriptionModel } : {}),
        },
      });
      const out = parseOutput(voiceProcessingOutput, run.output, run.runId);
      const computeMs = out.timings?.compute_ms ?? run.executionMs;
      if (out.no_speech || out.text.trim() === '') {
        return { noSpeech: true, wordCount: 0, jobRunId: run.runId, computeMs };
      }
      await deps.results.upsertTranscription({
        submissionId,
        text: out.text.trim(),
        language: out.language,
        languageProbability: out.language_probability ?? null,
        languageSource: out.language_source ?? null,
        confidence: out.confidence,
        words: out.words,
        model: out.model.name,
        modelVersion: out.model.version,
        jobRunId: String(run.runId),
        computeMs: computeMs === null ? null : Math.round(computeMs),
      });
      return { noSpeech: false, wordCount: out.words.length, jobRunId: run.runId, computeMs };
    },

    /** Runs `03_sentiment_analysis` on the stored transcript and upserts every field of the analysis. */
    async analyze({ submissionId }: SubmissionRef): Promise<AnalysisSummary> {
      await loadStageSubmission(deps, submissionId);
      const transcription = await deps.results.findTranscription(submissionId);
      if (!transcription) throw new Error(`submission ${submissionId} has no transcription yet`);
      // The organisation's active model, when it has one: the job analyses with that artifact (checked by its hash).
      const orgModel = (await deps.orgModels?.activeForSubmission(submissionId)) ?? null;
      const run = await runNotebook({
        jobs: deps.jobs,
        notebookPath: notebook('03_sentiment_analysis'),
        stage: 'analysis',
        pollMaxMs: deps.pollMaxMs,
        completion: deps.runCompletion,
        params: {
          submission_id: submissionId,
          text: transcription.text,
          language: transcription.language,
          ...(orgModel ? { model_path: orgModel.artifactUri, model_sha256: orgModel.artifactSha256 } : {}),
        },
      });
      const out = parseOutput(sentimentAnalysisOutput, run.output, run.runId);
      if (orgModel && out.model_version !== orgModel.modelVersion) {
        // The artifact's own version disagrees with the row that named it: a mix-up worth failing loudly on.
        throw ApplicationFailure.nonRetryable(`run ${run.runId} analysed with ${out.model_version}, expected the organisation's ${orgModel.modelVersion}`, BAD_RUN_OUTPUT_ERROR);
      }
      const computeMs = out.timings?.compute_ms ?? run.executionMs;
      await deps.results.upsertAnalysis({
        submissionId,
        sentiment: out.sentiment,
        emotions: out.emotions ?? [],
        intent: out.intent ?? null,
        actionItems: out.action_items ?? [],
        keywords: out.keywords ?? [],
        importanceScore: out.importance_score ?? null,
        modelVersion: out.model_version,
        jobRunId: String(run.runId),
        computeMs: computeMs === null ? null : Math.round(computeMs),
      });
      return { sentiment: out.sentiment.label, modelVersion: out.model_version, jobRunId: run.runId, computeMs };
    },
  };
}
