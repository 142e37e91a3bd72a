import type { Labels } from '@voyce/api-client';

/** The shapes of the Voyce API (shared/API.md) that the app reads. */
export type Role = 'user' | 'analyst' | 'admin';

export interface User {
  id: string;
  email: string;
  username: string;
  role: Role;
  disabled: boolean;
  createdAt: string;
}

/** A sign-in's answer to the web app, which asks for the cookie session: the refresh token is in an HttpOnly cookie. */
export interface Session {
  user: User;
  accessToken: string;
}

export const STATUSES = ['pending', 'validating', 'stored', 'transcribing', 'analyzing', 'completed', 'rejected', 'failed', 'cancelled'] as const;
export type Status = (typeof STATUSES)[number];
export const TERMINAL: readonly Status[] = ['completed', 'rejected', 'failed', 'cancelled'];
export const isTerminal = (s: Status) => TERMINAL.includes(s);

export interface Word {
  word: string;
  start: number;
  end: number;
  confidence: number;
}

export interface Transcription {
  text: string;
  language: string;
  /** How sure detection was (null when the upload named the language). */
  languageProbability?: number | null;
  languageSource?: 'given' | 'detected' | null;
  confidence: number;
  words: Word[];
  model: string;
}

export interface Analysis {
  sentiment: { label: 'positive' | 'neutral' | 'negative'; score: number; confidence: number };
  emotions: { label: string; score: number }[];
  intent: { label: string; confidence: number };
  actionItems: { text: string; priority: string }[];
  keywords: string[];
  importanceScore: number;
  modelVersion: string;
}

export interface Submission {
  id: string;
  userId: string;
  status: Status;
  title: string | null;
  description: string | null;
  category: string | null;
  language: string | null;
  contentType: string | null;
  sizeBytes: number;
  durationMs: number | null;
  createdAt: string;
  updatedAt: string;
  completedAt: string | null;
  progress: { stage: Status; attempts: number; error?: { code: string; message: string } };
  /** Whether a screenshot came with it (the image itself: GET /:id/screenshot). */
  screenshot?: { contentType: string; sizeBytes: number } | null;
  transcription?: Transcription;
  analysis?: Analysis;
  /** A person's correction beside the analysis; null when nobody corrected it. */
  labels?: Labels | null;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface ClientConfig {
  temporalUiUrl: string;
  temporalNamespace: string;
  oauthProviders: string[];
  limits: { maxUploadBytes: number; minAudioMs: number; maxAudioMs: number };
}

export interface Dashboard {
  from: string;
  to: string;
  countsByStatus: Partial<Record<Status, number>>;
  total: number;
  /** null: not named on upload and not transcribed yet. */
  countsByLanguage: { language: string | null; count: number }[];
  submissionsPerDay: { day: string; count: number }[];
  averageSentiment: number | null;
  topIntents: { intent: string; count: number }[];
  topKeywords: { keyword: string; count: number }[];
  processingSuccessRate: number | null;
  medianProcessingMs: number | null;
}

export interface TrendBucket {
  bucket: string;
  positive: number;
  neutral: number;
  negative: number;
  averageScore: number;
}

export interface IntentShare {
  intent: string;
  count: number;
  share: number;
}

export interface UserStats {
  userId: string;
  username: string;
  submissions: number;
  completed: number;
  averageSentiment: number | null;
  lastSubmissionAt: string;
}
