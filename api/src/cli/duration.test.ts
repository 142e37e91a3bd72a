import { parseDuration } from './duration';

describe('parseDuration', () => {
  it.each([
    ['30m', 1_800_000],
    ['12h', 43_200_000],
    ['2d', 172_800_000],
    ['1w', 604_800_000],
  ])('reads %s', (text, ms) => expect(parseDuration(text)).toBe(ms));
  it.each(['', '2', 'd', '2 days', '-1d', '1.5h'])('refuses %p', (text) => expect(parseDuration(text)).toBeNull());
});
