import { wordErrorRate } from './wer';

describe('wordErrorRate', () => {
  it('is 0 for the same words regardless of case and punctuation', () => {
    expect(wordErrorRate('The pay button, crashes.', 'the pay button crashes')).toBe(0);
  });
  it('counts substitutions, insertions and deletions against the reference length', () => {
    expect(wordErrorRate('a b c d', 'a x c d')).toBeCloseTo(0.25);
    expect(wordErrorRate('a b c d', 'a b c d e')).toBeCloseTo(0.25);
    expect(wordErrorRate('a b c d', 'a c')).toBeCloseTo(0.5);
  });
});
