import { useEffect, useRef, useState } from 'react';
import { Pressable, StyleSheet, Text, View } from 'react-native';
import { SafeAreaProvider, SafeAreaView } from 'react-native-safe-area-context';
import { DepsProvider, useDeps, useQueueItems, useSession, type AppDeps } from './deps';
import { AuthScreen } from './screens/AuthScreen';
import { RecordScreen } from './screens/RecordScreen';
import { registerForPush } from './screens/SettingsScreen';
import { SettingsScreen } from './screens/SettingsScreen';
import { SubmissionScreen } from './screens/SubmissionScreen';
import { SubmissionsScreen } from './screens/SubmissionsScreen';
import { colors } from './ui/kit';

type Tab = 'record' | 'list' | 'settings';

/** The app with its dependencies handed in (real ones from createAppDeps, fakes in tests). */
export function AppRoot({ deps }: { deps: AppDeps }) {
  return (
    <DepsProvider deps={deps}>
      <SafeAreaProvider>
        <SafeAreaView style={{ flex: 1, backgroundColor: colors.bg }}>
          <Shell />
        </SafeAreaView>
      </SafeAreaProvider>
    </DepsProvider>
  );
}

function Shell() {
  const deps = useDeps();
  const { loaded, tokens, notifications, user } = useSession();
  const signedIn = !!tokens;
  const userId = user?.id ?? null;
  const [tab, setTab] = useState<Tab>('record');
  const [openId, setOpenId] = useState<string | null>(null);
  const waiting = useQueueItems().filter((i) => i.state !== 'sent').length;

  // The setting as it is at sign-in: a change of it alone does not run the sign-in effect again.
  const wantsPush = useRef(notifications);
  wantsPush.current = notifications;

  // Signed in (at start or just now): send what waited for it, finish a device deletion left pending, and
  // (re)register for push if wanted (after the deletion: one device operation runs at a time).
  useEffect(() => {
    if (!signedIn || !userId) return;
    void deps.queue.flush();
    void deps.devices.retry();
    if (wantsPush.current) registerForPush(deps).catch(() => undefined);
  }, [signedIn, userId, deps]);

  if (!loaded) return null;
  if (!signedIn) return <AuthScreen />;
  return (
    <View style={{ flex: 1 }}>
      <View style={{ flex: 1 }}>
        {openId ? (
          <SubmissionScreen id={openId} onBack={() => setOpenId(null)} />
        ) : tab === 'record' ? (
          <RecordScreen onSaved={() => setTab('list')} />
        ) : tab === 'list' ? (
          <SubmissionsScreen onOpen={setOpenId} />
        ) : (
          <SettingsScreen />
        )}
      </View>
      <View accessibilityRole="tablist" style={local.tabs}>
        <TabButton label="Record" active={!openId && tab === 'record'} onPress={() => { setOpenId(null); setTab('record'); }} />
        <TabButton label={waiting > 0 ? `My feedback (${waiting})` : 'My feedback'} active={!!openId || tab === 'list'} onPress={() => { setOpenId(null); setTab('list'); }} />
        <TabButton label="Settings" active={!openId && tab === 'settings'} onPress={() => { setOpenId(null); setTab('settings'); }} />
      </View>
    </View>
  );
}

function TabButton({ label, active, onPress }: { label: string; active: boolean; onPress: () => void }) {
  return (
    <Pressable accessibilityRole="tab" accessibilityState={{ selected: active }} accessibilityLabel={label} onPress={onPress} style={local.tab}>
      <Text style={[local.tabText, active && local.tabActive]}>{label}</Text>
    </Pressable>
  );
}

const local = StyleSheet.create({
  tabs: { flexDirection: 'row', borderTopWidth: 1, borderTopColor: colors.border, backgroundColor: '#fff' },
  tab: { flex: 1, paddingVertical: 14, alignItems: 'center' },
  tabText: { color: colors.muted, fontWeight: '600' },
  tabActive: { color: colors.brand },
});
