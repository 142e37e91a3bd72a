import { sentimentAnalysisOutput } from './taskOutputs';

const full = {
  sentiment: { label: 'negative', score: -0.8853, confidence: 0.9062 },
  emotions: [
    { label: 'frustration', score: 0.61 },
    { label: 'anger', score: 0.19 },
  ],
  intent: { label: 'bug_report', confidence: 0.92 },
  action_items: [{ text: 'Fix this asap', priority: 'high' }],
  keywords: ['checkout page crashes', 'charged twice', 'apple pay'],
  importance_score: 0.937,
  model_version: 'voyce-clf-a26ad97695',
  timings: { embed_ms: 26.8, keywords_ms: 298.7, compute_ms: 326.1, batch_size: 1 },
};

describe('sentimentAnalysisOutput', () => {
  it('accepts the full analysis of 03_sentiment_analysis', () => {
    const parsed = sentimentAnalysisOutput.parse(full);
    expect(parsed.intent).toEqual({ label: 'bug_report', confidence: 0.92 });
    expect(parsed.action_items).toEqual([{ text: 'Fix this asap', priority: 'high' }]);
    expect(parsed.importance_score).toBe(0.937);
  });

  it('still accepts the older sentiment-only output', () => {
    const parsed = sentimentAnalysisOutput.parse({ sentiment: full.sentiment, model_version: 'vader-3.3.2' });
    expect(parsed.emotions).toBeUndefined();
  });

  it('rejects an unknown priority and too many keywords', () => {
    expect(sentimentAnalysisOutput.safeParse({ ...full, action_items: [{ text: 'x', priority: 'urgent' }] }).success).toBe(false);
    expect(sentimentAnalysisOutput.safeParse({ ...full, keywords: Array.from({ length: 9 }, (_, i) => `k${i}`) }).success).toBe(false);
    expect(sentimentAnalysisOutput.safeParse({ ...full, importance_score: 1.5 }).success).toBe(false);
  });
});
