import { createRedirectMatcher, withQuery } from './nativeRedirect';

describe('native redirect patterns', () => {
  const allowed = createRedirectMatcher(['https://*.chromiumapp.org/*', 'voyce://*', 'exp://*']);

  it.each([
    'https://abcdefghijklmnopabcdefghijklmnop.chromiumapp.org/',
    'https://abcdefghijklmnopabcdefghijklmnop.chromiumapp.org/oauth',
    'voyce://oauth',
    'exp://192.168.1.5:8081/--/oauth',
  ])('admits %s', (uri) => expect(allowed(uri)).toBe(true));

  it.each([
    'https://evil.example/.chromiumapp.org/',
    'https://evil.example/x.chromiumapp.org/',
    'https://a.b.chromiumapp.org/',
    'https://user@abc.chromiumapp.org/',
    'https://abc.chromiumapp.org.evil.example/',
    'http://abc.chromiumapp.org/',
    'https://evil.example/?voyce://x',
    'voyce://oauth#frag',
    'javascript:alert(1)',
    'not a url',
    '',
  ])('refuses %s', (uri) => expect(allowed(uri)).toBe(false));

  it('admits nothing without patterns (production default)', () => {
    expect(createRedirectMatcher([])('voyce://oauth')).toBe(false);
  });

  it('adds the answer to the query, keeping what is there', () => {
    expect(withQuery('voyce://oauth', { code: 'abc', state: undefined })).toBe('voyce://oauth?code=abc');
    expect(withQuery('https://x.chromiumapp.org/cb?a=1', { error: 'access_denied', state: 's' })).toBe('https://x.chromiumapp.org/cb?a=1&error=access_denied&state=s');
  });
});
