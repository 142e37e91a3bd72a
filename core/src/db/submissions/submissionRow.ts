import {
  type AudioFormat,
  type ScreenshotContentType,
  type Submission,
  type SubmissionContext,
  type SubmissionStatus,
} from '../../domain/submission';

/** A `voice_submissions` row as PostgreSQL returns it. */
export interface SubmissionRow {
  id: string;
  user_id: string;
  org_id: string;
  status: SubmissionStatus;
  title: string | null;
  description: string | null;
  category: string | null;
  language: string | null;
  detected_language: string | null;
  context: SubmissionContext | null;
  content_type: string | null;
  size_bytes: number;
  duration_ms: number | null;
  staging_blob: string | null;
  audio_blob: string | null;
  checksum_sha256: string | null;
  audio_format: AudioFormat | null;
  screenshot_blob: string | null;
  screenshot_content_type: ScreenshotContentType | null;
  screenshot_size_bytes: number | null;
  screenshot_sha256: string | null;
  attempts: number;
  error_code: string | null;
  error_message: string | null;
  workflow_id: string;
  created_at: Date;
  updated_at: Date;
  completed_at: Date | null;
}

/** A submission's language (ISO 639-1, no region): the one its upload named, else the one its transcription found (indexed). */
export const SUBMISSION_LANGUAGE = "split_part(coalesce(voice_submissions.language, voice_submissions.detected_language), '-', 1)";

/** A row into the domain's Submission. */
export const toSubmission = (r: SubmissionRow): Submission => ({
  id: r.id,
  userId: r.user_id,
  orgId: r.org_id,
  status: r.status,
  title: r.title,
  description: r.description,
  category: r.category,
  language: r.language,
  detectedLanguage: r.detected_language,
  context: r.context,
  contentType: r.content_type,
  sizeBytes: r.size_bytes,
  durationMs: r.duration_ms,
  stagingBlob: r.staging_blob,
  audioBlob: r.audio_blob,
  checksumSha256: r.checksum_sha256,
  audioFormat: r.audio_format,
  screenshot:
    r.screenshot_blob && r.screenshot_content_type
      ? { blob: r.screenshot_blob, contentType: r.screenshot_content_type, sizeBytes: r.screenshot_size_bytes ?? 0, sha256: r.screenshot_sha256 ?? '' }
      : null,
  workflowId: r.workflow_id,
  progress: {
    stage: r.status,
    attempts: r.attempts,
    ...(r.error_code ? { error: { code: r.error_code, message: r.error_message ?? '' } } : {}),
  },
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  completedAt: r.completed_at,
});
