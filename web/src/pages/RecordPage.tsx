import { useState } from 'react';
import { api, messageOf } from '../api/client';
import { uploadSubmission } from '../api/upload';
import { putOutboxItem, removeOutboxItem } from '../offline/outbox';
import { useLiveTranscript } from '../recording/useLiveTranscript';
import { extensionFor, useRecorder } from '../recording/useRecorder';
import { navigate } from '../router';
import { useClientConfig } from '../stores/clientConfig';
import { UploadLanguagePicker, uploadLanguage } from '../languages';
import { isRetryable, useOutbox } from '../stores/outbox';
import { useSession } from '../stores/session';
import { DetailsForm, type Details, type Sending } from './record/DetailsForm';
import { DropZone } from './record/DropZone';
import { LiveTranscript } from './record/LiveTranscript';
import { OutboxNotice } from './record/OutboxNotice';
import { Recorder } from './record/Recorder';
import { usePageTitle } from './usePageTitle';
import { orgUploadField } from '../stores/org';

export { CATEGORIES } from './record/DetailsForm';

const EMPTY: Details = { title: '', category: '', description: '' };
const pageContext = () => ({ client: 'web', pageUrl: window.location.origin, viewport: { width: window.innerWidth, height: window.innerHeight }, device: navigator.userAgent.slice(0, 200) });

/**
 * Record (words appear as they are spoken, over /api/live) or pick a file, add optional details, send. A live
 * recording is already a submission at stop (its details are saved onto it); when live fails, or for a file,
 * the audio is uploaded with a progress bar and kept offline until it can be sent.
 */
export function RecordPage() {
  usePageTitle('Give feedback');
  const limits = useClientConfig((s) => s.config.limits);
  const user = useSession((s) => s.user);
  const live = useLiveTranscript(pageContext);
  const rec = useRecorder(limits.maxAudioMs, { onStart: live.begin, onChunk: live.chunk, onStop: () => void live.finish() });
  const [file, setFile] = useState<File | null>(null);
  const [fileError, setFileError] = useState<string | null>(null);
  const [details, setDetails] = useState<Details>(EMPTY);
  const [sending, setSending] = useState<Sending>({ phase: 'idle' });

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
    live.reset();
    setFile(f);
  };

  const fields = () => ({ title: details.title.trim(), category: details.category, description: details.description.trim() });

  /** The live recording is a submission already: save the details onto it and follow it. */
  const sendLive = async (submissionId: string) => {
    const f = fields();
    const patch = Object.fromEntries(Object.entries(f).filter(([, v]) => v));
    setSending({ phase: 'uploading', fraction: 1 });
    try {
      if (Object.keys(patch).length > 0) await api(`/api/submissions/${submissionId}`, { method: 'PATCH', body: patch });
      navigate(`/feedback/${submissionId}`);
    } catch (err) {
      setSending({ phase: 'error', message: `Your recording was sent, but its details were not saved: ${messageOf(err)}` });
    }
  };

  const upload = async (a: { blob: Blob; filename: string }, userId: string) => {
    const uploadFields = { ...orgUploadField(), ...fields(), language: uploadLanguage(), context: JSON.stringify(pageContext()) };
    const id = crypto.randomUUID();
    // Kept before sending, so a dropped connection or a closed tab never loses the recording.
    await putOutboxItem({ id, userId, audio: a.blob, filename: a.filename, fields: uploadFields, createdAt: new Date().toISOString() });
    if (!navigator.onLine) {
      setSending({ phase: 'queued' });
      void useOutbox.getState().load();
      return;
    }
    setSending({ phase: 'uploading', fraction: 0 });
    try {
      const submission = await uploadSubmission({ audio: a.blob, filename: a.filename, fields: uploadFields, idempotencyKey: id }, (fraction) => setSending({ phase: 'uploading', fraction }));
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

  const send = async () => {
    if (!audio || !user) return;
    // A recording waits for its live session to end; a null answer means live failed and it is uploaded.
    const liveId = rec.recording ? await live.finish() : null;
    if (liveId) await sendLive(liveId);
    else await upload(audio, user.id);
  };

  const startOver = () => {
    rec.reset();
    live.reset();
    setFile(null);
    setSending({ phase: 'idle' });
  };

  const recording = rec.state === 'recording' || rec.state === 'paused';
  const busy = sending.phase === 'uploading' || sending.phase === 'queued';

  return (
    <>
      <h1>Give feedback</h1>
      <p className="lead">Say what works, what doesn’t, and what you wish it did. We transcribe and analyse it for the team.</p>
      <OutboxNotice />

      <UploadLanguagePicker />
      <section className="card recorder" aria-labelledby="record-title">
        <h2 id="record-title">1. Record</h2>
        <Recorder rec={rec} maxMs={limits.maxAudioMs} onStartOver={startOver}>
          <LiveTranscript state={live.state} settled={live.settled} tail={live.tail} />
        </Recorder>
        <DropZone file={file} error={fileError} maxBytes={limits.maxUploadBytes} onChoose={chooseFile} />
      </section>

      <DetailsForm details={details} onChange={setDetails} sending={sending} canSend={!!audio && !busy && !recording} onSend={() => void send()} onStartOver={startOver} />
      {!audio && <p className="muted small">Record something or choose a file first.</p>}
    </>
  );
}
