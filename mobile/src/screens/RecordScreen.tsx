import { lostOrgMessage, needsOrgPicker } from '@voyce/api-client';
import { useEffect, useState } from 'react';
import { ScrollView, StyleSheet, Text, View } from 'react-native';
import { useDeps, useOnline, useOrgChoice, useSession } from '../deps';
import { formatDuration } from '../lib/describe';
import type { AudioInput } from '../queue/types';
import { Button, ErrorText, Field, Muted, Screen, colors, styles as kit } from '../ui/kit';
import { LanguagePicker } from '../ui/LanguagePicker';
import { OrgPicker } from '../ui/OrgPicker';
import { errorMessage } from './AuthScreen';

type Phase = 'idle' | 'denied' | 'recording' | 'paused' | 'review';

/** Record (or pick) a piece of feedback, listen back, and hand it to the offline queue. */
export function RecordScreen({ onSaved }: { onSaved: () => void }) {
  const { useRecorder, usePlayer, queue, pickAudioFile, orgs } = useDeps();
  const recorder = useRecorder();
  const online = useOnline();
  const orgChoice = useOrgChoice();
  const userId = useSession().user?.id;
  // Asked again when the account changes and when the network comes back.
  useEffect(() => void orgs.refresh(), [orgs, userId, online]);
  const [phase, setPhase] = useState<Phase>('idle');
  const [take, setTake] = useState<AudioInput | null>(null);
  const [title, setTitle] = useState('');
  const [language, setLanguage] = useState(''); // '' = the server detects it
  const [error, setError] = useState('');
  const [saving, setSaving] = useState(false);
  const player = usePlayer(take?.uri ?? null);

  async function start() {
    setError('');
    try {
      if (!(await recorder.requestPermission())) {
        setPhase('denied');
        return;
      }
      await recorder.start();
      setPhase('recording');
    } catch (err) {
      setError(errorMessage(err));
    }
  }

  async function stop() {
    try {
      setTake(await recorder.stop());
      setPhase('review');
    } catch (err) {
      setError(errorMessage(err));
      setPhase('idle');
    }
  }

  async function pick() {
    setError('');
    try {
      const file = await pickAudioFile();
      if (!file) return;
      setTake(file);
      if (!title) setTitle(file.fileName.replace(/\.[^.]+$/, ''));
      setPhase('review');
    } catch (err) {
      setError(errorMessage(err));
    }
  }

  async function save() {
    if (!take) return;
    setSaving(true);
    try {
      await queue.enqueue(take, { title: title.trim() || undefined, language: language || undefined, orgId: orgs.currentId() });
      setTake(null);
      setTitle('');
      setPhase('idle');
      onSaved();
    } catch (err) {
      setError(`Could not save the recording on this device: ${errorMessage(err)}`);
    } finally {
      setSaving(false);
    }
  }

  const live = phase === 'recording' || phase === 'paused';
  return (
    <Screen title="Record feedback">
      <ScrollView contentContainerStyle={{ gap: 12 }}>
        {!online && <Text style={local.offline}>You are offline. Recordings are kept on this device and sent when you are back online.</Text>}
        {orgChoice.lost !== undefined && <Text style={local.offline}>{lostOrgMessage(orgChoice.lost, orgChoice.items.find((m) => m.org.id === orgChoice.current?.id)?.org ?? null)}</Text>}
        {phase === 'denied' && <ErrorText>Voyce needs the microphone to record. Allow it in your device settings, or pick an audio file instead.</ErrorText>}
        <View style={[kit.card, { alignItems: 'center', gap: 12 }]}>
          <Text accessibilityLabel="Recording time" style={local.timer}>
            {formatDuration(live ? recorder.state.durationMs : (take?.durationMs ?? 0))}
          </Text>
          <View accessibilityLabel="Input level" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round((phase === 'recording' ? recorder.state.level : 0) * 100)} style={local.meterTrack}>
            <View style={[local.meterFill, { width: `${Math.round((phase === 'recording' ? recorder.state.level : 0) * 100)}%` }]} />
          </View>
          {phase === 'paused' && <Muted>Paused</Muted>}
          {/* expo-audio records to a file and gives no audio frames while recording, so /api/live cannot be fed. */}
          {live && <Muted>Live transcription is not available in the mobile app; the words appear once the recording is sent.</Muted>}
          <View style={kit.row}>
            {(phase === 'idle' || phase === 'denied') && <Button label="Start recording" onPress={() => void start()} />}
            {phase === 'recording' && <Button kind="secondary" label="Pause" onPress={() => { recorder.pause(); setPhase('paused'); }} />}
            {phase === 'paused' && <Button kind="secondary" label="Resume" onPress={() => { recorder.resume(); setPhase('recording'); }} />}
            {live && <Button label="Stop" onPress={() => void stop()} />}
          </View>
          {(phase === 'idle' || phase === 'denied') && <Button kind="secondary" label="Pick an audio file" onPress={() => void pick()} />}
        </View>
        {phase === 'review' && take && (
          <View style={kit.card}>
            <Muted>{take.fileName}</Muted>
            <View style={kit.row}>
              {player.state.playing ? <Button kind="secondary" label="Pause playback" onPress={player.pause} /> : <Button kind="secondary" label="Listen back" onPress={player.play} />}
              <Muted>
                {formatDuration(player.state.positionMs)} / {formatDuration(player.state.durationMs || (take.durationMs ?? 0))}
              </Muted>
            </View>
            <Field label="Title (optional)" value={title} onChangeText={setTitle} autoCapitalize="sentences" />
            {needsOrgPicker(orgChoice.items) && <OrgPicker items={orgChoice.items} value={orgChoice.current?.id} onChange={(id) => void orgs.choose(id)} />}
            <LanguagePicker value={language} onChange={setLanguage} />
            <View style={kit.row}>
              <Button label={online ? 'Send' : 'Save for later'} onPress={() => void save()} busy={saving} />
              <Button kind="secondary" label="Discard" onPress={() => { setTake(null); setPhase('idle'); }} />
            </View>
          </View>
        )}
        <ErrorText>{error}</ErrorText>
      </ScrollView>
    </Screen>
  );
}

const local = StyleSheet.create({
  timer: { fontSize: 48, fontVariant: ['tabular-nums'], color: colors.text },
  meterTrack: { height: 10, alignSelf: 'stretch', borderRadius: 5, backgroundColor: colors.brandLight, overflow: 'hidden' },
  meterFill: { height: 10, backgroundColor: colors.brand },
  offline: { backgroundColor: '#fff4d6', padding: 10, borderRadius: 8, color: colors.text },
});
