/** The options page: which Voyce server, and signing in and out of it. */
import { ask } from '../shared/messages';
import { signInWithProvider } from '../shared/oauth';
import { BUILD_SERVER, configuredServer, originPattern, serverOrigin } from '../shared/settings';

const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;

async function render(): Promise<void> {
  const server = await configuredServer();
  $<HTMLInputElement>('server').value = server;
  const state = $('serverState');
  state.className = 'note';
  state.textContent = 'Checking…';
  const check = await ask('server/check', {});
  if (!check.reachable) {
    state.className = 'note error';
    state.textContent = `Cannot reach ${server}: ${check.message}. Check the address and your connection; recordings wait in the outbox meanwhile.`;
  } else {
    state.className = 'note ok';
    state.textContent = `Connected to ${new URL(server).host}.`;
  }
  const signedIn = check.reachable && check.signedIn;
  $('signInBox').hidden = signedIn;
  $('signedInBox').hidden = !signedIn;
  if (signedIn) $('signedInAs').textContent = `Signed in as ${check.username ?? ''}`;
  renderProviders(check.reachable ? check.oauthProviders : []);
  document.body.dataset.ready = 'true';
}

/** One button per OpenID provider the server offers (GET /api/config). */
function renderProviders(providers: string[]): void {
  const box = $('providers');
  box.replaceChildren(
    ...providers.map((provider) => {
      const button = document.createElement('button');
      button.type = 'button';
      button.dataset.provider = provider;
      button.textContent = provider.charAt(0).toUpperCase() + provider.slice(1);
      button.addEventListener('click', () => void providerSignIn(provider));
      return button;
    }),
  );
  $('providersBox').hidden = providers.length === 0;
}

async function providerSignIn(provider: string): Promise<void> {
  const state = $('signInState');
  state.className = 'note';
  state.textContent = 'Signing in in the window Chrome opened…';
  try {
    await signInWithProvider({
      server: await configuredServer(),
      provider,
      identity: chrome.identity,
      exchange: async (code, codeVerifier) => {
        const res = await ask('auth/oauthCode', { code, codeVerifier });
        if (!res.ok) throw new Error(res.message);
        return res.username;
      },
    });
  } catch (err) {
    state.className = 'note error';
    state.textContent = err instanceof Error ? err.message : String(err);
    return;
  }
  state.textContent = '';
  await render();
}

$('serverForm').addEventListener('submit', async (e) => {
  e.preventDefault();
  const state = $('serverState');
  const origin = serverOrigin($<HTMLInputElement>('server').value);
  if (!origin) {
    state.className = 'note error';
    state.textContent = 'Enter an http:// or https:// address, such as https://voyce.example.com.';
    return;
  }
  const previous = await configuredServer();
  if (origin !== serverOrigin(BUILD_SERVER)) {
    // Must run in the click's turn (a user gesture) for Chrome to show its prompt.
    const granted = (await chrome.permissions.contains({ origins: [originPattern(origin)] })) || (await chrome.permissions.request({ origins: [originPattern(origin)] }));
    if (!granted) {
      state.className = 'note error';
      state.textContent = `Voyce needs permission to reach ${origin} to send recordings there.`;
      return;
    }
  }
  if (previous !== origin) {
    await ask('auth/logout', {}); // a session belongs to one server
    const old = serverOrigin(previous);
    if (old && old !== serverOrigin(BUILD_SERVER)) await chrome.permissions.remove({ origins: [originPattern(old)] }).catch(() => false);
  }
  await chrome.storage.local.set({ server: origin });
  await render();
});

$('signInForm').addEventListener('submit', async (e) => {
  e.preventDefault();
  const state = $('signInState');
  state.className = 'note';
  state.textContent = 'Signing in…';
  const res = await ask('auth/login', { login: $<HTMLInputElement>('login').value.trim(), password: $<HTMLInputElement>('password').value });
  $<HTMLInputElement>('password').value = '';
  if (!res.ok) {
    state.className = 'note error';
    state.textContent = res.message;
    return;
  }
  state.textContent = '';
  await render();
});

$('signOut').addEventListener('click', async () => {
  await ask('auth/logout', {});
  await render();
});

void render();
