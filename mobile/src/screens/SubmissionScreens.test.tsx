import { act, fireEvent, render, screen, waitFor } from '@testing-library/react-native';
import { AppRoot } from '../AppRoot';
import type { Analysis } from '../api/types';
import { createTestDeps, fakePlayer, submission } from '../testing/fakes';

const analysis: Analysis = {
  sentiment: { label: 'negative', score: -0.7, confidence: 0.9 },
  emotions: [{ label: 'frustrated', score: 0.8 }],
  intent: { label: 'bug_report', confidence: 0.8 },
  actionItems: [{ text: 'Fix the checkout button', priority: 'high' }],
  keywords: ['checkout', 'button'],
  importanceScore: 0.9,
  modelVersion: 'm1',
};

describe('My feedback', () => {
  it('lists queued recordings with their state and the server submissions with live status', async () => {
    jest.useFakeTimers();
    const deps = createTestDeps({ online: false });
    let status = 'transcribing';
    deps.server.on('GET /api/submissions', () => ({ status: 200, body: { items: [submission({ id: 's1', title: 'Old one', status: status as never })], nextCursor: null } }));
    await deps.session.load();
    await deps.queue.start();
    await deps.queue.enqueue({ uri: 'file:///q.wav', fileName: 'q.wav', mimeType: 'audio/wav', durationMs: 1000 }, { title: 'Queued one' });
    render(<AppRoot deps={deps} />);
    fireEvent.press(screen.getByRole('tab', { name: 'My feedback (1)' }));
    expect(await screen.findByText('Queued one')).toBeTruthy();
    expect(screen.getByText('Saved on this device – will send when online')).toBeTruthy();
    expect(screen.getByText('Offline: the list shows when you are back online.')).toBeTruthy();

    // Back online: the queue sends, the list loads and follows the pipeline until it is done.
    deps.server.on('POST /api/submissions/upload', () => ({ status: 202, body: { submission: submission({ id: 's2' }) } }));
    await act(async () => deps.net.set(true));
    await waitFor(() => expect(screen.queryByText('Queued one')).toBeNull());
    expect(await screen.findByText('Transcribing')).toBeTruthy();
    status = 'completed';
    await act(async () => {
      jest.advanceTimersByTime(3100);
    });
    expect(await screen.findByText('Ready')).toBeTruthy();
    jest.useRealTimers();
  });

  it('shows a submission: transcript following the player, analysis in plain words', async () => {
    const player = fakePlayer(1200);
    const deps = createTestDeps({ player });
    const full = submission({
      id: 's1',
      title: 'Checkout',
      status: 'completed',
      transcription: { text: 'The checkout button is broken', language: 'en', words: ['The', 'checkout', 'button', 'is', 'broken'].map((word, i) => ({ word, start: i * 0.5, end: i * 0.5 + 0.4 })) },
      analysis,
    });
    deps.server.on('GET /api/submissions', () => ({ status: 200, body: { items: [full], nextCursor: null } }));
    deps.server.on('GET /api/submissions/s1', () => ({ status: 200, body: { submission: full } }));
    deps.server.on('GET /api/submissions/s1/audio', (req) => (req.headers.accept === 'application/json' ? { status: 200, body: { url: 'http://blob.test/a.wav', expiresAt: '' } } : { status: 406 }));
    await deps.session.load();
    render(<AppRoot deps={deps} />);
    fireEvent.press(screen.getByRole('tab', { name: 'My feedback' }));
    fireEvent.press(await screen.findByRole('button', { name: 'Checkout, Ready' }));
    // 1.2 s into the audio: the third word ("button", 1.0–1.4 s) is highlighted.
    await waitFor(() => expect(player.uris).toContain('http://blob.test/a.wav'));
    expect(screen.getByTestId('current-word')).toHaveTextContent('button');
    expect(screen.getByText('The tone is clearly negative.')).toBeTruthy();
    expect(screen.getByText('This feedback reports a problem.')).toBeTruthy();
    expect(screen.getByText('To do (high): Fix the checkout button')).toBeTruthy();
    fireEvent.press(screen.getByText(' broken'));
    expect(player.seeks).toEqual([2000]);
    expect(screen.getByText('Language: English')).toBeTruthy();
    expect(screen.getByLabelText('Transcript')).toHaveStyle({ writingDirection: 'ltr' });
  });

  it('names the transcript language and writes right-to-left ones right to left', async () => {
    const deps = createTestDeps();
    const arabic = submission({ id: 's2', title: 'Arabic', status: 'completed', transcription: { text: 'التطبيق يتعطل عند الدفع', language: 'ar', words: [] } });
    deps.server.on('GET /api/submissions', () => ({ status: 200, body: { items: [arabic], nextCursor: null } }));
    deps.server.on('GET /api/submissions/s2', () => ({ status: 200, body: { submission: arabic } }));
    deps.server.on('GET /api/submissions/s2/audio', () => ({ status: 404, body: { error: { code: 'not_found', message: 'Not found.' } } }));
    await deps.session.load();
    render(<AppRoot deps={deps} />);
    fireEvent.press(screen.getByRole('tab', { name: 'My feedback' }));
    fireEvent.press(await screen.findByRole('button', { name: 'Arabic, Ready' }));
    expect(await screen.findByText('Language: Arabic')).toBeTruthy();
    expect(screen.getByLabelText('Transcript')).toHaveStyle({ writingDirection: 'rtl' });
  });
});
