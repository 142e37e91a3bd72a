/**
 * The label sets a person picks from to correct an analysis. The values come from the API's label sets
 * (core/src/domain/labels.ts) through the OpenAPI document: the compiler refuses a list here that misses a
 * label of the generated types or names one they do not have, so a rebuilt client cannot drift from the API.
 */
import type { RequestJson, ResponseJson } from './operations';

/** A person's correction as `submission.labels` and `PUT /api/submissions/{id}/labels` answer it. */
export type Labels = NonNullable<ResponseJson<'put', '/api/submissions/{id}/labels'>['labels']>;
/** The PUT body: a field given replaces that correction, null clears it, a field omitted keeps it. */
export type LabelsChange = RequestJson<'put', '/api/submissions/{id}/labels'>;

export type Sentiment = NonNullable<Labels['sentiment']>;
export type Intent = NonNullable<Labels['intent']>;
export type Emotion = NonNullable<Labels['emotions']>[number];

/** `list`, typed as given, when it names every value of `T` and nothing else. */
const every =
  <T extends string>() =>
  <const L extends readonly T[]>(list: L & ([Exclude<T, L[number]>] extends [never] ? unknown : { missing: Exclude<T, L[number]> })): L =>
    list;

export const SENTIMENTS = every<Sentiment>()(['positive', 'neutral', 'negative']);
export const INTENTS = every<Intent>()(['bug_report', 'feature_request', 'complaint', 'praise', 'question', 'other']);
export const EMOTIONS = every<Emotion>()(['joy', 'gratitude', 'anger', 'frustration', 'sadness', 'fear', 'surprise', 'neutral']);
