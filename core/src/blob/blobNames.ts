/**
 * Where a submission's files live, named in one place for the API (uploads, live recordings) and the activities
 * (the stored audio): `<user>/<submission>` in the staging container while the upload is unchecked,
 * `<user>/<submission>.<extension>` in the audio container once validated, `<user>/<submission>.screenshot`
 * beside it. Keyed by the owner first, so one person's files can be listed, exported or erased together.
 */
export interface SubmissionRef {
  readonly userId: string;
  readonly id: string;
}

export const submissionBlobs = {
  staging: (s: SubmissionRef): string => `${s.userId}/${s.id}`,
  audio: (s: SubmissionRef, extension: string): string => `${s.userId}/${s.id}.${extension}`,
  screenshot: (s: SubmissionRef): string => `${s.userId}/${s.id}.screenshot`,
};
