import { fireEvent, render, screen, waitFor } from '@testing-library/react-native';
import { AppRoot } from '../AppRoot';
import { bytesToBase64Url } from '../platform/oauthBrowser';
import { oauthStartUrl, queryOf } from '../state/oauthSignIn';
import { createTestDeps, RFC7636, stopAllQueues } from '../testing/fakes';

const user = { id: 'u2', email: 'grace@example.test', username: 'grace', role: 'user' };

afterEach(stopAllQueues);

/** A signed-out app whose server offers `google`, and exchanges code "c1" for the RFC 7636 verifier only. */
async function setUp() {
  const deps = createTestDeps({ signedIn: false });
  deps.server.on('GET /api/config', () => ({ status: 200, body: { oauthProviders: ['google'], limits: {} } }));
  deps.server.on('POST /api/auth/oauth/token', ({ body }) => {
    const { code, code_verifier } = body as { code: string; code_verifier: string };
    return code === 'c1' && code_verifier === RFC7636.verifier
      ? { status: 200, body: { user, accessToken: 'a9', refreshToken: 'r9' } }
      : { status: 400, body: { error: { code: 'invalid_grant', message: 'The sign-in code is invalid, expired or already used.' } } };
  });
  deps.server.on('GET /api/submissions', () => ({ status: 200, body: { items: [], nextCursor: null } }));
  await deps.session.load();
  render(<AppRoot deps={deps} />);
  return deps;
}

describe('sign in through an OpenID provider of the server', () => {
  it('shows the providers of GET /api/config, runs the PKCE flow in the sign-in browser and keeps the tokens', async () => {
    const deps = await setUp();
    deps.oauth.answer = (start) => `voyce://oauth?code=c1&state=${queryOf(start).state}`;
    fireEvent.press(await screen.findByRole('button', { name: 'Continue with Google' }));
    await screen.findByText('Record feedback');

    const start = deps.oauth.opened[0]!;
    expect(start.startsWith('http://api.test/api/auth/oauth/google?')).toBe(true);
    expect(queryOf(start)).toEqual({ redirect_uri: 'voyce://oauth', code_challenge: RFC7636.challenge, code_challenge_method: 'S256', state: 'state-1' });
    const exchange = deps.server.requests.find((r) => r.path === '/api/auth/oauth/token')!;
    expect(exchange.body).toEqual({ code: 'c1', code_verifier: RFC7636.verifier });
    expect(exchange.headers.authorization).toBeUndefined();
    expect(JSON.parse((await deps.kv.get('voyce.tokens'))!)).toEqual({ accessToken: 'a9', refreshToken: 'r9' });
    expect(deps.session.get().user).toEqual(user);
  });

  it('shows why a sign-in did not finish: closed, refused by the server, a foreign answer, a spent code', async () => {
    const deps = await setUp();
    const button = await screen.findByRole('button', { name: 'Continue with Google' });

    deps.oauth.answer = () => null;
    fireEvent.press(button);
    expect(await screen.findByText('The sign-in was cancelled.')).toBeTruthy();

    deps.oauth.answer = () => 'voyce://oauth?error=oauth_email_unverified&state=state-1';
    fireEvent.press(button);
    expect(await screen.findByText('The provider did not confirm your e-mail address; sign in another way.')).toBeTruthy();

    deps.oauth.answer = () => 'voyce://oauth?code=c1&state=someone-else';
    fireEvent.press(button);
    expect(await screen.findByText('The sign-in answer does not belong to this sign-in; try again.')).toBeTruthy();

    deps.oauth.answer = () => 'voyce://oauth?code=spent&state=state-1';
    fireEvent.press(button);
    expect(await screen.findByText('The sign-in code is invalid, expired or already used.')).toBeTruthy();
    expect(deps.session.tokens()).toBeNull();
  });

  it('offers no provider where the server has none or the platform cannot receive the redirect', async () => {
    const deps = createTestDeps({ signedIn: false });
    deps.server.on('GET /api/config', () => ({ status: 200, body: { limits: {} } }));
    await deps.session.load();
    render(<AppRoot deps={deps} />);
    await waitFor(() => expect(deps.server.requests.some((r) => r.path === '/api/config')).toBe(true));
    expect(screen.queryByText(/Continue with/)).toBeNull();

    const web = createTestDeps({ signedIn: false });
    web.oauth.supported = false;
    web.server.on('GET /api/config', () => ({ status: 200, body: { oauthProviders: ['google'] } }));
    await web.session.load();
    screen.unmount();
    render(<AppRoot deps={web} />);
    await new Promise((r) => setTimeout(r, 400));
    expect(web.server.requests).toEqual([]);
    expect(screen.queryByText(/Continue with/)).toBeNull();
  });
});

describe('helpers', () => {
  it('encodes base64url without padding', () => {
    expect(bytesToBase64Url(new Uint8Array([]))).toBe('');
    expect(bytesToBase64Url(new Uint8Array([0xfb]))).toBe('-w');
    expect(bytesToBase64Url(new Uint8Array([0xfb, 0xff]))).toBe('-_8');
    expect(bytesToBase64Url(new Uint8Array([0x66, 0x6f, 0x6f, 0x62, 0x61, 0x72]))).toBe('Zm9vYmFy');
  });

  it('builds the start URL and reads answers', () => {
    expect(oauthStartUrl('http://api.test/', 'google', 'exp://10.0.0.2:8081/--/oauth', 'ch', 's')).toBe(
      'http://api.test/api/auth/oauth/google?redirect_uri=exp%3A%2F%2F10.0.0.2%3A8081%2F--%2Foauth&code_challenge=ch&code_challenge_method=S256&state=s',
    );
    expect(queryOf('voyce://oauth?code=a%2Bb&state=x#frag')).toEqual({ code: 'a+b', state: 'x' });
    expect(queryOf('voyce://oauth')).toEqual({});
  });
});
