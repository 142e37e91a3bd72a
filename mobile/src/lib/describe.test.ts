import { currentWordIndex, describeAnalysis, formatDuration } from './describe';

describe('describe', () => {
  it('finds the word being spoken', () => {
    const words = [0, 0.5, 1.0, 1.5].map((start, i) => ({ word: `w${i}`, start, end: start + 0.4 }));
    expect(currentWordIndex(words, 0)).toBe(0);
    expect(currentWordIndex(words, 0.49)).toBe(0);
    expect(currentWordIndex(words, 1.2)).toBe(2);
    expect(currentWordIndex(words, 99)).toBe(3);
    expect(currentWordIndex([{ word: 'late', start: 1, end: 2 }], 0.5)).toBe(-1);
    expect(currentWordIndex([], 1)).toBe(-1);
  });

  it('puts an analysis in plain words', () => {
    expect(
      describeAnalysis({
        sentiment: { label: 'positive', score: 0.3, confidence: 0.8 },
        emotions: [{ label: 'joy', score: 0.7 }, { label: 'anger', score: 0.1 }],
        intent: { label: 'feature_request', confidence: 0.7 },
        actionItems: [],
        keywords: [{ keyword: 'dark mode' }, 'settings'],
        importanceScore: 0.5,
      }),
    ).toEqual(['The tone is positive.', 'This feedback asks for something new.', 'Feelings: joy.', 'Key topics: dark mode, settings.', 'Importance: medium.']);
  });

  it('formats durations', () => {
    expect(formatDuration(0)).toBe('0:00');
    expect(formatDuration(65_400)).toBe('1:05');
  });
});
