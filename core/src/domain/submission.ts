import type { SentimentLabel } from './labels';

/** Pipeline statuses in order; the last three are terminal alternatives to `completed`. */
export const SUBMISSION_STATUSES = [
  'pending',
  'validating',
  'stored',
  'transcribing',
  'analyzing',
  'completed',
  'rejected',
  'failed',
  'cancelled',
] as const;
export type SubmissionStatus = (typeof SUBMISSION_STATUSES)[number];

export const TERMINAL_STATUSES: readonly SubmissionStatus[] = ['completed', 'rejected', 'failed', 'cancelled'];
export const isTerminal = (s: SubmissionStatus): boolean => TERMINAL_STATUSES.includes(s);

export const CLIENT_KINDS = ['web', 'extension', 'mobile', 'api'] as const;
export type ClientKind = (typeof CLIENT_KINDS)[number];

export interface SubmissionContext {
  client: ClientKind;
  pageUrl?: string;
  pageTitle?: string;
  selection?: string;
  viewport?: { width: number; height: number };
  appVersion?: string;
  device?: string;
  /** Recorded through the live endpoint (`/api/live`), not uploaded. */
  live?: true;
}

export interface Progress {
  stage: SubmissionStatus;
  attempts: number;
  error?: { code: string; message: string };
}

/** A submission as stored, without its results. */
export interface Submission {
  id: string;
  userId: string;
  /** The organisation it belongs to (API.md "Organisations"). */
  orgId: string;
  status: SubmissionStatus;
  title: string | null;
  description: string | null;
  category: string | null;
  /** The language the upload named (ISO 639-1), or null: then it is detected. */
  language: string | null;
  /** The language the transcription found (or was given), once transcribed. */
  detectedLanguage: string | null;
  context: SubmissionContext | null;
  contentType: string | null;
  sizeBytes: number;
  durationMs: number | null;
  stagingBlob: string | null;
  audioBlob: string | null;
  checksumSha256: string | null;
  audioFormat: AudioFormat | null;
  /** The screenshot sent with the submission (extension), stored beside the audio; null when none. */
  screenshot: StoredScreenshot | null;
  progress: Progress;
  workflowId: string;
  createdAt: Date;
  updatedAt: Date;
  completedAt: Date | null;
}

export const SCREENSHOT_CONTENT_TYPES = ['image/png', 'image/jpeg'] as const;
export type ScreenshotContentType = (typeof SCREENSHOT_CONTENT_TYPES)[number];

export interface StoredScreenshot {
  /** Blob name in the audio container. */
  blob: string;
  contentType: ScreenshotContentType;
  sizeBytes: number;
  sha256: string;
}

export interface AudioFormat {
  container: string;
  codec: string;
  sampleRate: number;
  channels: number;
  durationMs: number;
  bitRate?: number;
}

export interface TranscriptWord {
  word: string;
  start: number;
  end: number;
  confidence: number;
}

export interface Transcription {
  submissionId: string;
  text: string;
  language: string;
  /** How sure Whisper's detection was (1 when the upload named the language); null on rows from before it was kept. */
  languageProbability: number | null;
  languageSource: 'given' | 'detected' | null;
  confidence: number;
  words: TranscriptWord[];
  model: string;
  modelVersion: string;
  jobRunId: string | null;
  computeMs: number | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface Analysis {
  submissionId: string;
  sentiment: { label: SentimentLabel; score: number; confidence: number };
  emotions: { label: string; score: number }[];
  intent: { label: string; confidence: number } | null;
  actionItems: { text: string; priority: 'high' | 'medium' | 'low' }[];
  keywords: string[];
  importanceScore: number | null;
  modelVersion: string;
  jobRunId: string | null;
  computeMs: number | null;
  createdAt: Date;
  updatedAt: Date;
}

/** Workflow id for a submission: one id per submission, reused by replays. */
export const workflowIdFor = (submissionId: string): string => `submission-${submissionId}`;
