import { useEffect, useRef, useState, type DragEvent, type FormEvent } from 'react';
import { messageOf } from '../api/client';
import { revealDuration } from '../components/audioDuration';
import { uploadSubmission } from '../api/upload';
import { putOutboxItem, removeOutboxItem } from '../offline/outbox';
import { extensionFor, formatDuration, useRecorder } from '../recording/useRecorder';
import { Link, navigate } from '../router';
import { useClientConfig } from '../stores/clientConfig';
import { isRetryable, useOutbox } from '../stores/outbox';
import { useSession } from '../stores/session';
import { usePageTitle } from './usePageTitle';

export const CATEGORIES = ['bug', 'feature', 'usability', 'performance', 'praise', 'other'];

type Sending = { phase: 'idle' } | { phase: 'uploading'; fraction: number } | { phase: 'queued' } | { phase: 'error'; message: string };

/** Record (or pick a file), add optional details, send with a progress bar; kept offline until it can be sent. */
export function RecordPage() {
  usePageTitle('Give feedback');
  const limits = useClientConfig((s) => s.config.limits);
  const user = useSession((s) => s.user);
  const rec = useRecorder(limits.maxAudioMs);
  const [file, setFile] = useState<File | null>(null);
  const [fileError, setFileError] = useState<string | null>(null);
  const [title, setTitle] = useState('');
  const [category, setCategory] = useState('');
  const [description, setDescription] = useState('');
  const [sending, setSending] = useState<Sending>({ phase: 'idle' });
  const [dragging, setDragging] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);
  const outboxCount = useOutbox((s) => s.items.length);

  useEffect(() => {
    void useOutbox.getState().load();
  }, []);

  const audio: { blob: Blob; filename: string } | null = rec.recording
    ? { blob: rec.recording.blob, filename: `recording.${extensionFor(rec.recording.mimeType)}` }
    : file
      ? { blob: file, filename: file.name }
      : null;

  const chooseFile = (f: File | undefined) => {
    setFileError(null);
    if (!f) return;
    if (f.size > limits.maxUploadBytes) {
      setFileError(`That file is ${(f.size / 1048576).toFixed(1)} MB; the limit is ${Math.floor(limits.maxUploadBytes / 1048576)} MB.`);
      return;
    }
    rec.reset();
    setFile(f);
  };

  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setDragging(false);
    chooseFile(e.dataTransfer.files[0]);
  };

  const send = async (e: FormEvent) => {
    e.preventDefault();
    if (!audio || !user) return;
    const fields = {
      title: title.trim(),
      category,
      description: description.trim(),
      context: JSON.stringify({ client: 'web', pageUrl: window.location.origin, viewport: { width: window.innerWidth, height: window.innerHeight }, device: navigator.userAgent.slice(0, 200) }),
    };
    const id = crypto.randomUUID();
    // Kept before sending, so a dropped connection or a closed tab never loses the recording.
    await putOutboxItem({ id, userId: user.id, audio: audio.blob, filename: audio.filename, fields, createdAt: new Date().toISOString() });
    if (!navigator.onLine) {
      setSending({ phase: 'queued' });
      void useOutbox.getState().load();
      return;
    }
    setSending({ phase: 'uploading', fraction: 0 });
    try {
      const submission = await uploadSubmission({ audio: audio.blob, filename: audio.filename, fields, idempotencyKey: id }, (fraction) => setSending({ phase: 'uploading', fraction }));
      await removeOutboxItem(id);
      navigate(`/feedback/${submission.id}`);
    } catch (err) {
      if (isRetryable(err)) {
        setSending({ phase: 'queued' });
      } else {
        await removeOutboxItem(id);
        setSending({ phase: 'error', message: messageOf(err) });
      }
      void useOutbox.getState().load();
    }
  };

  const startOver = () => {
    rec.reset();
    setFile(null);
    setSending({ phase: 'idle' });
  };

  const recording = rec.state === 'recording' || rec.state === 'paused';
  const remaining = Math.max(0, limits.maxAudioMs - rec.elapsedMs);

  return (
    <>
      <h1>Give feedback</h1>
      <p className="lead">Say what works, what doesn’t, and what you wish it did. We transcribe and analyse it for the team.</p>
      {outboxCount > 0 && (
        <p className="notice" role="status">
          {outboxCount} recording{outboxCount === 1 ? '' : 's'} waiting to be sent. <Link to="/feedback">See my feedback</Link>
        </p>
      )}

      <section className="card recorder" aria-labelledby="record-title">
        <h2 id="record-title">1. Record</h2>
        {rec.state === 'unsupported' && <p className="notice">This browser cannot record audio. Upload a file instead.</p>}
        {rec.state === 'denied' && (
          <p className="notice notice-error" role="alert">
            Voyce is not allowed to use your microphone. Allow it in the address bar’s site settings, then press “Start recording” again — or upload a file below.
          </p>
        )}
        {rec.state === 'error' && rec.error && (
          <p className="notice notice-error" role="alert">
            {rec.error}
          </p>
        )}
        <div className="recorder-row">
          <div className="timer" aria-live="off">
            <span className="visually-hidden">Recorded </span>
            <span data-testid="timer">{formatDuration(rec.elapsedMs)}</span>
            <span className="muted small"> / {formatDuration(limits.maxAudioMs)}</span>
          </div>
          <meter className="level" min={0} max={1} value={rec.level} aria-label="Microphone level" />
        </div>
        {recording && remaining < 30_000 && (
          <p className="muted small" role="status">
            {Math.ceil(remaining / 1000)} seconds left.
          </p>
        )}
        <div className="actions">
          {(rec.state === 'idle' || rec.state === 'denied' || rec.state === 'error' || rec.state === 'requesting') && (
            <button type="button" className="button record" onClick={() => void rec.start()} disabled={rec.state === 'requesting'}>
              {rec.state === 'requesting' ? 'Waiting for the microphone…' : 'Start recording'}
            </button>
          )}
          {rec.state === 'recording' && (
            <button type="button" className="button secondary" onClick={rec.pause}>
              Pause
            </button>
          )}
          {rec.state === 'paused' && (
            <button type="button" className="button secondary" onClick={rec.resume}>
              Resume
            </button>
          )}
          {recording && (
            <button type="button" className="button" onClick={rec.stop}>
              Stop
            </button>
          )}
          {rec.state === 'recorded' && (
            <button type="button" className="button secondary" onClick={startOver}>
              Record again
            </button>
          )}
        </div>
        {rec.recording && (
          <div className="listen">
            <p>Listen back before you send it:</p>
            <audio controls src={rec.recording.url} aria-label="Your recording" onLoadedMetadata={(e) => revealDuration(e.currentTarget)} />
          </div>
        )}

        <div
          className={dragging ? 'dropzone dragging' : 'dropzone'}
          onDragOver={(e) => {
            e.preventDefault();
            setDragging(true);
          }}
          onDragLeave={() => setDragging(false)}
          onDrop={onDrop}
        >
          <p>
            Or drop an audio file here, or{' '}
            <button type="button" className="linklike" onClick={() => fileInput.current?.click()}>
              choose a file
            </button>
            <span className="muted small"> (WAV, MP3, OGG, WebM, M4A, FLAC; up to {Math.floor(limits.maxUploadBytes / 1048576)} MB)</span>
          </p>
          <label htmlFor="audio-file" className="visually-hidden">
            Audio file
          </label>
          <input id="audio-file" ref={fileInput} type="file" accept="audio/*,.wav,.mp3,.ogg,.webm,.m4a,.flac" className="visually-hidden" tabIndex={-1} onChange={(e) => chooseFile(e.target.files?.[0])} />
          {file && <p>Chosen: {file.name}</p>}
          {fileError && (
            <p className="field-error" role="alert">
              {fileError}
            </p>
          )}
        </div>
      </section>

      <form className="card" aria-labelledby="details-title" onSubmit={(e) => void send(e)}>
        <h2 id="details-title">2. Details (optional)</h2>
        <div className="field">
          <label htmlFor="title">Title</label>
          <input id="title" value={title} maxLength={200} onChange={(e) => setTitle(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="category">Category</label>
          <select id="category" value={category} onChange={(e) => setCategory(e.target.value)}>
            <option value="">None</option>
            {CATEGORIES.map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="description">Description</label>
          <textarea id="description" value={description} maxLength={5000} rows={3} onChange={(e) => setDescription(e.target.value)} />
        </div>
        {sending.phase === 'uploading' && (
          <div className="upload-progress">
            <label htmlFor="upload-progress">Sending…</label>
            <progress id="upload-progress" max={1} value={sending.fraction} />
          </div>
        )}
        {sending.phase === 'queued' && (
          <p className="notice" role="status" data-testid="queued">
            You seem to be offline. Your recording is saved on this device and will be sent as soon as the connection is back.
          </p>
        )}
        {sending.phase === 'error' && (
          <p className="notice notice-error" role="alert">
            {sending.message}
          </p>
        )}
        <div className="actions">
          <button type="submit" className="button" disabled={!audio || sending.phase === 'uploading' || sending.phase === 'queued' || recording}>
            Send feedback
          </button>
          {sending.phase === 'queued' && (
            <button type="button" className="button secondary" onClick={startOver}>
              Record another
            </button>
          )}
        </div>
        {!audio && <p className="muted small">Record something or choose a file first.</p>}
      </form>
    </>
  );
}
