/** The parts of the Voyce API contract (shared/API.md) the app reads. */
export type SubmissionStatus =
  | 'pending'
  | 'validating'
  | 'stored'
  | 'transcribing'
  | 'analyzing'
  | 'completed'
  | 'rejected'
  | 'failed'
  | 'cancelled';

export const TERMINAL_STATUSES: readonly SubmissionStatus[] = ['completed', 'rejected', 'failed', 'cancelled'];

export interface User {
  id: string;
  email: string;
  username: string;
  role: string;
}

export interface Word {
  word: string;
  start: number;
  end: number;
  confidence?: number;
}

export interface Transcription {
  text: string;
  language?: string;
  confidence?: number;
  words?: Word[];
}

export interface Analysis {
  sentiment: { label: 'positive' | 'neutral' | 'negative'; score: number; confidence: number };
  emotions: { label: string; score: number }[];
  intent: { label: string; confidence: number };
  actionItems: { text: string; priority: string }[];
  keywords: (string | { keyword?: string; text?: string })[];
  importanceScore: number;
  modelVersion?: string;
}

export interface Submission {
  id: string;
  status: SubmissionStatus;
  title: string | null;
  description: string | null;
  category: string | null;
  createdAt: string;
  durationMs: number | null;
  progress?: { stage: string; attempts?: number; error?: string } | null;
  transcription?: Transcription | null;
  analysis?: Analysis | null;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface Tokens {
  accessToken: string;
  refreshToken: string;
}
