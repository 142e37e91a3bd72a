import { useCallback, useEffect, useState } from 'react';
import { FlatList, Pressable, RefreshControl, Text, View } from 'react-native';
import { TERMINAL_STATUSES, type Submission } from '../api/types';
import { useDeps, useOnline, useQueueItems } from '../deps';
import { formatDuration, queueStateText, statusText } from '../lib/describe';
import { Button, ErrorText, Muted, Screen, colors, styles as kit } from '../ui/kit';
import { errorMessage } from './AuthScreen';

const POLL_MS = 3000;

/** The person's feedback: what is still on the device (the queue), then what the server has, with live status. */
export function SubmissionsScreen({ onOpen }: { onOpen: (id: string) => void }) {
  const { api, queue } = useDeps();
  const items = useQueueItems();
  const online = useOnline();
  const [submissions, setSubmissions] = useState<Submission[]>([]);
  const [error, setError] = useState('');
  const [loading, setLoading] = useState(false);

  const load = useCallback(async () => {
    try {
      setSubmissions((await api.listSubmissions()).items);
      setError('');
    } catch (err) {
      setError(errorMessage(err));
    }
  }, [api]);

  // Reload when the screen opens, when something left the queue, and when we come back online.
  const pending = items.filter((i) => i.state !== 'sent');
  useEffect(() => {
    if (online) void load();
  }, [load, online, pending.length]);

  // Live status without push: poll while anything is still in the pipeline.
  const running = submissions.some((s) => !TERMINAL_STATUSES.includes(s.status));
  useEffect(() => {
    if (!running || !online) return;
    const timer = setInterval(() => void load(), POLL_MS);
    return () => clearInterval(timer);
  }, [running, online, load]);

  return (
    <Screen title="My feedback">
      {pending.length > 0 && (
        <View style={{ gap: 8 }} accessibilityLabel="On this device">
          <Text style={{ fontWeight: '600', color: colors.text }}>On this device</Text>
          {pending.map((item) => (
            <View key={item.id} style={kit.card} testID={`queue-item-${item.id}`}>
              <Text style={{ fontWeight: '600' }}>{item.title || item.fileName}</Text>
              <Muted>{queueStateText(item, online)}</Muted>
              {item.state === 'failed' && (
                <View style={kit.row}>
                  <Button kind="secondary" label="Try again" onPress={() => void queue.retry(item.id)} />
                  <Button kind="danger" label="Delete" onPress={() => void queue.discard(item.id)} />
                </View>
              )}
            </View>
          ))}
        </View>
      )}
      <ErrorText>{online ? error : ''}</ErrorText>
      <FlatList
        data={submissions}
        keyExtractor={(s) => s.id}
        refreshControl={<RefreshControl refreshing={loading} onRefresh={() => { setLoading(true); void load().finally(() => setLoading(false)); }} />}
        ListEmptyComponent={<Muted>{online ? 'Nothing sent yet. Record something!' : 'Offline: the list shows when you are back online.'}</Muted>}
        contentContainerStyle={{ gap: 8 }}
        renderItem={({ item: s }) => (
          <Pressable accessibilityRole="button" accessibilityLabel={`${s.title || 'Untitled'}, ${statusText(s.status)}`} onPress={() => onOpen(s.id)} style={kit.card} testID={`submission-${s.id}`}>
            <Text style={{ fontWeight: '600', color: colors.text }}>{s.title || 'Untitled'}</Text>
            <View style={kit.row}>
              <StatusBadge status={s.status} />
              <Muted>
                {new Date(s.createdAt).toLocaleString()}
                {s.durationMs ? ` · ${formatDuration(s.durationMs)}` : ''}
              </Muted>
            </View>
          </Pressable>
        )}
      />
    </Screen>
  );
}

export function StatusBadge({ status }: { status: Submission['status'] }) {
  const bg = status === 'completed' ? '#dff3e5' : status === 'rejected' || status === 'failed' ? '#fbe0de' : colors.brandLight;
  const fg = status === 'completed' ? colors.ok : status === 'rejected' || status === 'failed' ? colors.danger : colors.brand;
  return (
    <Text testID="status" style={{ backgroundColor: bg, color: fg, paddingHorizontal: 8, paddingVertical: 2, borderRadius: 999, fontSize: 12, fontWeight: '600', overflow: 'hidden' }}>
      {statusText(status)}
    </Text>
  );
}
