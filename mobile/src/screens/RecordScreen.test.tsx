import { fireEvent, render, screen, waitFor } from '@testing-library/react-native';
import { AppRoot } from '../AppRoot';
import { createTestDeps, submission } from '../testing/fakes';

async function renderRecord(opts: Parameters<typeof createTestDeps>[0] = {}) {
  const deps = createTestDeps(opts);
  deps.server.on('GET /api/submissions', () => ({ status: 200, body: { items: [], nextCursor: null } }));
  await deps.session.load();
  await deps.queue.start();
  render(<AppRoot deps={deps} />);
  await screen.findByText('Record feedback');
  return deps;
}

describe('RecordScreen', () => {
  it('records with a timer and level meter, pauses and resumes, then queues the take', async () => {
    const deps = await renderRecord({ online: false });
    expect(screen.getByText(/You are offline/)).toBeTruthy();
    fireEvent.press(screen.getByRole('button', { name: 'Start recording' }));
    await screen.findByRole('button', { name: 'Pause' });
    deps.recorder.tick(65_000, 0.5);
    expect(screen.getByLabelText('Recording time')).toHaveTextContent('1:05');
    expect(screen.getByLabelText('Input level').props['aria-valuenow']).toBe(50);

    fireEvent.press(screen.getByRole('button', { name: 'Pause' }));
    expect(screen.getByText('Paused')).toBeTruthy();
    fireEvent.press(screen.getByRole('button', { name: 'Resume' }));
    fireEvent.press(screen.getByRole('button', { name: 'Stop' }));
    await screen.findByRole('button', { name: 'Listen back' });
    expect(deps.recorder.calls).toEqual(['start', 'pause', 'resume', 'stop']);

    fireEvent.changeText(screen.getByLabelText('Title (optional)'), 'Search is broken');
    fireEvent.press(screen.getByRole('button', { name: 'Save for later' }));
    // Saved on the device (offline): the list shows it waiting, nothing was uploaded.
    await screen.findByText('Saved on this device – will send when online');
    expect(screen.getByText('Search is broken')).toBeTruthy();
    expect([...deps.store.items.values()]).toEqual([expect.objectContaining({ title: 'Search is broken', fileName: 'recording.m4a', state: 'waiting' })]);
    expect(deps.server.requests.filter((r) => r.path.includes('upload'))).toHaveLength(0);
  });

  it('explains a refused microphone and offers the file picker', async () => {
    const deps = await renderRecord();
    deps.recorder.permission = false;
    fireEvent.press(screen.getByRole('button', { name: 'Start recording' }));
    await screen.findByText(/Voyce needs the microphone/);
    expect(deps.recorder.calls).toEqual([]);
    expect(screen.getByRole('button', { name: 'Pick an audio file' })).toBeTruthy();
  });

  it('sends a picked file at once when online', async () => {
    const deps = await renderRecord();
    deps.server.on('POST /api/submissions/upload', () => ({ status: 202, body: { submission: submission({ id: 's-9', title: 'picked' }) } }));
    fireEvent.press(screen.getByRole('button', { name: 'Pick an audio file' }));
    expect(await screen.findByDisplayValue('picked')).toBeTruthy();
    expect(screen.getByRole('radio', { name: 'Detect the language' }).props.accessibilityState).toEqual({ checked: true });
    fireEvent.press(screen.getByRole('radio', { name: 'German' }));
    expect(screen.getByRole('radio', { name: 'German' }).props.accessibilityState).toEqual({ checked: true });
    fireEvent.press(screen.getByRole('button', { name: 'Send' }));
    await waitFor(() => expect(deps.server.requests.filter((r) => r.path === '/api/submissions/upload')).toHaveLength(1));
    const upload = deps.server.requests.find((r) => r.path === '/api/submissions/upload')!;
    expect(upload.headers['idempotency-key']).toBe('key-1');
    expect(upload.headers.authorization).toBe('Bearer access-1');
    expect((upload.body as FormData).get('language')).toBe('de');
    await waitFor(() => expect(deps.store.items.size).toBe(0));
  });
});
