import { useState } from 'react';
import { Switch, Text, View } from 'react-native';
import { useDeps, useSession } from '../deps';
import { Button, ErrorText, Field, Muted, Screen, styles as kit } from '../ui/kit';
import { errorMessage } from './AuthScreen';

/** Registers this device for push with the server; resolves to a sentence for the settings screen. */
export async function registerForPush(deps: Pick<ReturnType<typeof useDeps>, 'api' | 'push' | 'appVersion'>): Promise<string> {
  if (!deps.push.supported) return 'Notifications need the app on a phone.';
  const reg = await deps.push.register();
  if (!reg) return 'Notifications are turned off in the system settings.';
  await deps.api.registerDevice(reg.token, reg.platform, deps.appVersion);
  return 'You will be told when your feedback is ready.';
}

/** Server address, notifications, who is signed in, and signing out. */
export function SettingsScreen() {
  const deps = useDeps();
  const { session, api, queue } = deps;
  const state = useSession();
  const [server, setServer] = useState(state.serverUrl);
  const [note, setNote] = useState('');
  const [error, setError] = useState('');

  async function toggleNotifications(on: boolean) {
    session.setNotifications(on);
    setError('');
    setNote('');
    if (!on) return;
    try {
      setNote(await registerForPush(deps));
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
        <Button kind="danger" label="Sign out" onPress={() => void api.logout()} />
      </View>
      <Muted>Voyce mobile {deps.appVersion}</Muted>
    </Screen>
  );
}
