import type { Labels } from '@voyce/api-client';

export type LabelField = 'sentiment' | 'intent' | 'emotions';

export const FIELD_NAMES: Record<LabelField, string> = { sentiment: 'Sentiment', intent: 'Intent', emotions: 'Emotions' };

/** `feature_request` → "feature request". */
export const labelWord = (label: string) => label.replace(/_/g, ' ');

/** A field's value as words: one label, or the emotions joined. */
export function valueText(value: string | readonly string[] | null | undefined): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'string') return labelWord(value);
  return value.length ? value.map(labelWord).join(', ') : '—';
}

/** "corrected by ann, 7 Dec 2026, 15:30" — who changed the correction last, and when. */
export function correctedBy(labels: Pick<Labels, 'labelledBy' | 'labelledAt'>): string {
  const who = labels.labelledBy?.username ?? 'a former member';
  return `corrected by ${who}, ${new Date(labels.labelledAt).toLocaleString()}`;
}
