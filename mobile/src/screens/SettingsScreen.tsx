import { useState } from 'react';
import { Switch, Text, View } from 'react-native';
import { useDeps, useSession } from '../deps';
import { Button, ErrorText, Field, Muted, Screen, styles as kit } from '../ui/kit';
import { errorMessage } from './AuthScreen';

/** Registers this device for push with the server (keeping the device id); resolves to a sentence for the settings screen. */
export async function registerForPush(deps: Pick<ReturnType<typeof useDeps>, 'devices' | 'push' | 'appVersion' | 'session'>): Promise<string> {
  if (!deps.push.supported) return 'Notifications need the app on a phone.';
  const reg = await deps.push.register();
  if (!reg) return 'Notifications are turned off in the system settings.';
  // Turned off again while the system asked for permission: register nothing.
  if (!deps.session.get().notifications) return '';
  await deps.devices.register(reg.token, reg.platform, deps.appVersion);
  return 'You will be told when your feedback is ready.';
}

/** How long sign-out waits for the device's deletion before signing out anyway (the deletion then stays pending). */
const SIGN_OUT_DELETE_WAIT_MS = 5000;

/**
 * Deletes this phone's push registration, then signs out: the deletion needs the account's token, so it goes
 * first. Offline (or slow), it stays pending and is sent the next time this account is signed in here.
 */
export async function signOut(deps: Pick<ReturnType<typeof useDeps>, 'devices' | 'api'>): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([deps.devices.forget().catch(() => undefined), new Promise((resolve) => (timer = setTimeout(resolve, SIGN_OUT_DELETE_WAIT_MS)))]);
  clearTimeout(timer);
  await deps.api.logout();
}

/** Server address, notifications, who is signed in, and signing out. */
export function SettingsScreen() {
  const deps = useDeps();
  const { session, queue } = deps;
  const state = useSession();
  const [server, setServer] = useState(state.serverUrl);
  const [note, setNote] = useState('');
  const [error, setError] = useState('');

  async function toggleNotifications(on: boolean) {
    session.setNotifications(on);
    setError('');
    setNote('');
    try {
      if (on) {
        setNote(await registerForPush(deps));
        return;
      }
      const outcome = await deps.devices.forget();
      if (outcome === 'removed') setNote('This phone will no longer be notified.');
      if (outcome === 'pending') setNote('This phone will be taken off the notification list when it is back online.');
    } catch (err) {
      setError(errorMessage(err));
    }
  }

  return (
    <Screen title="Settings">
      <View style={kit.card}>
        <Field label="Server" value={server} onChangeText={setServer} keyboardType="url" inputMode="url" />
        <Button kind="secondary" label="Save server" disabled={server === state.serverUrl} onPress={() => { session.setServerUrl(server); void queue.flush(); }} />
      </View>
      <View style={[kit.card, kit.row, { justifyContent: 'space-between' }]}>
        <Text>Notify me when feedback is ready</Text>
        <Switch accessibilityLabel="Notifications" value={state.notifications} onValueChange={(on) => void toggleNotifications(on)} />
      </View>
      {note ? <Muted>{note}</Muted> : null}
      <ErrorText>{error}</ErrorText>
      <View style={kit.card}>
        <Muted>Signed in as {state.user?.username ?? '…'}</Muted>
        <Button kind="danger" label="Sign out" onPress={() => void signOut(deps)} />
      </View>
      <Muted>Voyce mobile {deps.appVersion}</Muted>
    </Screen>
  );
}
