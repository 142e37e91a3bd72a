import { useEffect, useState } from 'react';
import { ScrollView, View } from 'react-native';
import { ApiError, NetworkError } from '../api/client';
import { useDeps, useSession } from '../deps';
import { signInWithProvider } from '../state/oauthSignIn';
import { Button, ErrorText, Field, Muted, Screen } from '../ui/kit';

export function errorMessage(err: unknown): string {
  if (err instanceof ApiError) return err.message;
  if (err instanceof NetworkError) return 'Cannot reach the server. Check the server address and your connection.';
  return err instanceof Error ? err.message : String(err);
}

/** "google" → "Google": provider names are lower-case identifiers in the server's configuration. */
const providerLabel = (name: string) => name.charAt(0).toUpperCase() + name.slice(1);

/**
 * Sign in or create an account with a password, or through an OpenID provider the server offers (the
 * system's sign-in browser, PKCE), against the server the person names.
 */
export function AuthScreen() {
  const { api, session, oauth } = useDeps();
  const { serverUrl } = useSession();
  const [mode, setMode] = useState<'signIn' | 'signUp'>('signIn');
  const [server, setServer] = useState(serverUrl);
  const [login, setLogin] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const [providers, setProviders] = useState<string[]>([]);

  // The providers of the server being typed, once the typing pauses.
  useEffect(() => {
    if (!oauth.supported) return;
    let current = true;
    const timer = setTimeout(() => {
      void api.oauthProviders(server).then((list) => current && setProviders(list));
    }, 300);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [api, oauth, server]);

  async function providerSignIn(provider: string) {
    setBusy(true);
    setError('');
    try {
      session.setServerUrl(server);
      session.setUser(await signInWithProvider({ api, oauth, server: session.get().serverUrl, provider }));
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  async function submit() {
    setBusy(true);
    setError('');
    try {
      session.setServerUrl(server);
      const user = mode === 'signIn' ? await api.login(login.trim(), password) : await api.register(email.trim(), login.trim(), password);
      session.setUser(user);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Screen title={mode === 'signIn' ? 'Sign in to Voyce' : 'Create your account'}>
      <ScrollView contentContainerStyle={{ gap: 12 }} keyboardShouldPersistTaps="handled">
        <Muted>Speak your feedback; Voyce transcribes and analyses it.</Muted>
        <Field label="Server" value={server} onChangeText={setServer} keyboardType="url" inputMode="url" />
        {mode === 'signUp' && <Field label="Email" value={email} onChangeText={setEmail} keyboardType="email-address" autoComplete="email" />}
        <Field label={mode === 'signIn' ? 'Email or username' : 'Username'} value={login} onChangeText={setLogin} autoComplete="username" />
        <Field label="Password" value={password} onChangeText={setPassword} secureTextEntry autoComplete={mode === 'signIn' ? 'current-password' : 'new-password'} onSubmitEditing={() => void submit()} />
        {mode === 'signUp' && <Muted>At least 10 characters; common passwords are refused.</Muted>}
        <ErrorText>{error}</ErrorText>
        <Button label={mode === 'signIn' ? 'Sign in' : 'Sign up'} onPress={() => void submit()} busy={busy} disabled={!login || !password || (mode === 'signUp' && !email)} />
        {providers.length > 0 && (
          <View style={{ gap: 8 }}>
            <Muted>{mode === 'signIn' ? 'Or sign in with' : 'Or sign up with'}</Muted>
            {providers.map((p) => (
              <Button key={p} kind="secondary" label={`Continue with ${providerLabel(p)}`} onPress={() => void providerSignIn(p)} disabled={busy} />
            ))}
          </View>
        )}
        <View>
          <Button kind="secondary" label={mode === 'signIn' ? 'New here? Create an account' : 'Have an account? Sign in'} onPress={() => setMode(mode === 'signIn' ? 'signUp' : 'signIn')} />
        </View>
      </ScrollView>
    </Screen>
  );
}
