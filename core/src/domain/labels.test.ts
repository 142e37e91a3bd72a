import fs from 'node:fs';
import path from 'node:path';
import { EMOTION_LABELS, INTENT_LABELS, SENTIMENT_LABELS } from './labels';

/** The Python package trains and predicts these heads; a label added on one side only must fail here. */
const DATASET = path.resolve(__dirname, '../../../databricks/python/voyce_ml/dataset.py');

function pythonTuple(name: string): string[] {
  const source = fs.readFileSync(DATASET, 'utf8');
  const match = new RegExp(`^${name} = \\(([^)]*)\\)`, 'm').exec(source);
  if (!match?.[1]) throw new Error(`${name} not found in ${DATASET}`);
  return [...match[1].matchAll(/"([^"]+)"/g)].map((m) => m[1] as string);
}

describe('label sets', () => {
  it.each([
    ['SENTIMENTS', SENTIMENT_LABELS],
    ['INTENTS', INTENT_LABELS],
    ['EMOTIONS', EMOTION_LABELS],
  ])('%s are the Python dataset\'s, in the same order', (name, labels) => {
    expect([...labels]).toEqual(pythonTuple(name));
  });
});
