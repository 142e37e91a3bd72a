import { useCallback, useEffect, useState } from 'react';
import { languageDirection, languageName } from '@voyce/api-client';
import { ScrollView, Text, View } from 'react-native';
import { TERMINAL_STATUSES, type Submission } from '../api/types';
import { useDeps } from '../deps';
import { currentWordIndex, describeAnalysis, formatDuration } from '../lib/describe';
import { Button, ErrorText, Muted, Screen, colors, styles as kit } from '../ui/kit';
import { errorMessage } from './AuthScreen';
import { StatusBadge } from './SubmissionsScreen';

const POLL_MS = 3000;

/** One submission: live status, the audio with the transcript following along, the analysis in plain words. */
export function SubmissionScreen({ id, onBack }: { id: string; onBack: () => void }) {
  const { api, usePlayer, createEventSource } = useDeps();
  const [submission, setSubmission] = useState<Submission | null>(null);
  const [audioUri, setAudioUri] = useState<string | null>(null);
  const [error, setError] = useState('');
  const player = usePlayer(audioUri);

  const load = useCallback(async () => {
    try {
      setSubmission(await api.getSubmission(id));
      setError('');
    } catch (err) {
      setError(errorMessage(err));
    }
  }, [api, id]);

  useEffect(() => {
    void load();
  }, [load]);

  // Live status: the event stream where the platform has EventSource, polling otherwise.
  const terminal = submission ? TERMINAL_STATUSES.includes(submission.status) : false;
  const loaded = submission !== null;
  useEffect(() => {
    if (!loaded || terminal) return;
    const url = createEventSource ? api.eventsUrl(id) : null;
    if (createEventSource && url) {
      const source = createEventSource(url);
      source.addEventListener('status', () => void load());
      source.onerror = () => void load();
      return () => source.close();
    }
    const timer = setInterval(() => void load(), POLL_MS);
    return () => clearInterval(timer);
  }, [loaded, terminal, api, id, createEventSource, load]);

  const hasAudio = submission ? !['pending', 'validating', 'rejected', 'cancelled'].includes(submission.status) : false;
  useEffect(() => {
    if (!hasAudio || audioUri) return;
    api.audioUrl(id).then(setAudioUri, () => undefined);
  }, [hasAudio, audioUri, api, id]);

  const words = submission?.transcription?.words ?? [];
  const current = player.state.playing || player.state.positionMs > 0 ? currentWordIndex(words, player.state.positionMs / 1000) : -1;

  return (
    <Screen title={submission?.title || 'Feedback'} right={<Button kind="secondary" label="Back" onPress={onBack} />}>
      <ScrollView contentContainerStyle={{ gap: 12 }}>
        <ErrorText>{error}</ErrorText>
        {submission && (
          <>
            <View style={kit.row}>
              <StatusBadge status={submission.status} />
              <Muted>{new Date(submission.createdAt).toLocaleString()}</Muted>
            </View>
            {submission.status === 'rejected' || submission.status === 'failed' ? <ErrorText>{submission.progress?.error ?? 'The pipeline stopped.'}</ErrorText> : null}
            {!terminal && <Muted>Working on it: {submission.progress?.stage ?? submission.status}…</Muted>}
            {audioUri && (
              <View style={kit.row}>
                {player.state.playing ? <Button kind="secondary" label="Pause" onPress={player.pause} /> : <Button kind="secondary" label="Play" onPress={player.play} />}
                <Muted>
                  {formatDuration(player.state.positionMs)} / {formatDuration(player.state.durationMs || (submission.durationMs ?? 0))}
                </Muted>
              </View>
            )}
            {submission.transcription && (
              <View style={kit.card}>
                <Text style={{ fontWeight: '600', color: colors.text }}>Transcript</Text>
                {submission.transcription.language && <Muted>Language: {languageName(submission.transcription.language)}</Muted>}
                <Text accessibilityLabel="Transcript" style={{ lineHeight: 24, color: colors.text, writingDirection: languageDirection(submission.transcription.language) }}>
                  {words.length === 0
                    ? submission.transcription.text
                    : words.map((w, i) => (
                        <Text key={i} testID={i === current ? 'current-word' : undefined} onPress={() => player.seekTo(w.start * 1000)} style={i === current ? { backgroundColor: colors.brandLight, color: colors.brand, fontWeight: '700' } : undefined}>
                          {w.word.startsWith(' ') || i === 0 ? w.word : ` ${w.word}`}
                        </Text>
                      ))}
                </Text>
              </View>
            )}
            {submission.analysis && (
              <View style={kit.card} accessibilityLabel="What it says">
                <Text style={{ fontWeight: '600', color: colors.text }}>What it says</Text>
                {describeAnalysis(submission.analysis).map((line, i) => (
                  <Text key={i} style={{ color: colors.text }}>
                    {line}
                  </Text>
                ))}
              </View>
            )}
          </>
        )}
      </ScrollView>
    </Screen>
  );
}
