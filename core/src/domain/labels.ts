/**
 * The label sets of the analysis heads, the one source of truth on the TypeScript side: the API validates
 * corrections and filters with them, the OpenAPI document publishes them to the clients. They are the Python
 * package's (databricks/python/voyce_ml/dataset.py INTENTS, EMOTIONS, SENTIMENTS); labels.test.ts checks both agree.
 */
export const SENTIMENT_LABELS = ['positive', 'neutral', 'negative'] as const;
export const INTENT_LABELS = ['bug_report', 'feature_request', 'complaint', 'praise', 'question', 'other'] as const;
export const EMOTION_LABELS = ['joy', 'gratitude', 'anger', 'frustration', 'sadness', 'fear', 'surprise', 'neutral'] as const;

export type SentimentLabel = (typeof SENTIMENT_LABELS)[number];
export type IntentLabel = (typeof INTENT_LABELS)[number];
export type EmotionLabel = (typeof EMOTION_LABELS)[number];

/** The heads a person can correct. */
export const CORRECTABLE_FIELDS = ['sentiment', 'intent', 'emotions'] as const;
export type CorrectableField = (typeof CORRECTABLE_FIELDS)[number];

/**
 * A person's correction of one submission's analysis, kept beside it (migration 016 `submission_labels`).
 * A field left null was not corrected: the model's value stands for it.
 */
export interface SubmissionLabels {
  submissionId: string;
  sentiment: SentimentLabel | null;
  intent: IntentLabel | null;
  emotions: EmotionLabel[] | null;
  /** Null once the person's account is gone (the correction stays). */
  labelledBy: { id: string; username: string } | null;
  labelledAt: Date;
}

/**
 * What a PUT changes: a field given replaces that correction, `null` clears it, a field omitted keeps the
 * previous correction.
 */
export type LabelsChange = Partial<{ sentiment: SentimentLabel | null; intent: IntentLabel | null; emotions: EmotionLabel[] | null }>;
