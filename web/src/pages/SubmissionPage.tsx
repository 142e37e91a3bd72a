import { useEffect, useState } from 'react';
import { api, messageOf, signedUrl } from '../api/client';
import { isTerminal, type Submission } from '../api/types';
import { AnalysisView } from '../components/AnalysisView';
import { ErrorMessage, Loading } from '../components/Feedback';
import { StatusBadge, StatusSteps } from '../components/Status';
import { TranscriptPlayer } from '../components/TranscriptPlayer';
import { useAsync } from '../hooks/useAsync';
import { useSubmissionEvents } from '../hooks/useSubmissionEvents';
import { Link } from '../router';
import { temporalWorkflowUrl, useClientConfig } from '../stores/clientConfig';
import { useSession } from '../stores/session';
import { submissionTitle } from './MyFeedbackPage';
import { usePageTitle } from './usePageTitle';
import { LabelCorrections } from './submission/LabelCorrections';

/** One submission: live status until done, then the recording with its transcript, the analysis, a screenshot. */
export function SubmissionPage({ id }: { id: string }) {
  const sub = useAsync((signal) => api<{ submission: Submission }>(`/api/submissions/${id}`, { signal }).then((r) => r.submission), [id]);
  const hasScreenshot = Boolean(sub.data?.screenshot);
  const completed = sub.data?.status === 'completed';
  const media = useAsync(
    async () => ({ audio: await signedUrl(id, 'audio'), screenshot: hasScreenshot ? await signedUrl(id, 'screenshot').catch(() => null) : null }),
    // `completed` is no input of the load but its trigger: the signed URLs are asked again once it is done.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [id, completed, hasScreenshot],
  );
  const role = useSession((s) => s.user?.role);
  const config = useClientConfig((s) => s.config);
  const [replayMessage, setReplayMessage] = useState<string | null>(null);
  usePageTitle(sub.data ? submissionTitle(sub.data) : 'Feedback');

  const status = sub.data?.status;
  useSubmissionEvents(status && !isTerminal(status) ? id : null, (e) => {
    if (e.status === 'deleted') return;
    sub.setData((prev) => (prev ? { ...prev, status: e.status as Submission['status'], progress: { ...prev.progress, stage: e.status as Submission['status'], ...(e.error ? { error: e.error } : {}) } } : prev));
    if (isTerminal(e.status)) sub.reload(); // fetch the transcript and analysis
  });

  useEffect(() => setReplayMessage(null), [id]);

  if (sub.error) return <ErrorMessage error={sub.error} onRetry={sub.reload} />;
  if (!sub.data) return <Loading label="Loading the feedback…" />;
  const s = sub.data;

  const replay = async () => {
    try {
      await api(`/api/admin/submissions/${s.id}/replay`, { method: 'POST' });
      setReplayMessage('Replay started.');
      sub.reload();
    } catch (err) {
      setReplayMessage(messageOf(err));
    }
  };

  return (
    <>
      <p>
        <Link to={role === 'user' ? '/feedback' : '/search'}>← Back</Link>
      </p>
      <div className="page-head">
        <h1>{submissionTitle(s)}</h1>
        <span data-testid="status">
          <StatusBadge status={s.status} />
        </span>
      </div>
      <p className="muted">
        Sent {new Date(s.createdAt).toLocaleString()}
        {s.category ? ` · ${s.category}` : ''}
        {s.durationMs ? ` · ${(s.durationMs / 1000).toFixed(1)} s` : ''}
      </p>
      {s.description && <p>{s.description}</p>}
      {!isTerminal(s.status) && <StatusSteps status={s.status} />}
      {(s.status === 'failed' || s.status === 'rejected') && (
        <div className="notice notice-error" role="alert">
          <p>
            {s.status === 'rejected' ? 'The recording could not be used: ' : 'Processing failed: '}
            {s.progress.error?.message ?? 'no reason was given.'}
          </p>
        </div>
      )}
      {role === 'admin' && (
        <p className="admin-tools">
          <a href={temporalWorkflowUrl(config, s.id)} target="_blank" rel="noreferrer">
            Open the workflow in the Temporal UI
          </a>
          {isTerminal(s.status) && (
            <button type="button" className="button secondary small" onClick={() => void replay()}>
              Replay
            </button>
          )}
          {replayMessage && <span role="status"> {replayMessage}</span>}
        </p>
      )}
      <div className="two-col">
        <TranscriptPlayer audioUrl={media.data?.audio ?? null} transcription={s.transcription} />
        {s.analysis ? (
          <AnalysisView analysis={s.analysis} />
        ) : (
          <section className="card">
            <h2>What it says</h2>
            <p className="muted">{isTerminal(s.status) ? 'No analysis.' : 'The analysis appears here when processing is done.'}</p>
          </section>
        )}
      </div>
      {s.analysis && (
        <LabelCorrections submissionId={s.id} analysis={s.analysis} labels={s.labels ?? null} onChange={(labels) => sub.setData((prev) => (prev ? { ...prev, labels } : prev))} />
      )}
      {media.data?.screenshot && (
        <section className="card" aria-labelledby="screenshot-title">
          <h2 id="screenshot-title">Screenshot</h2>
          <img className="screenshot" src={media.data.screenshot} alt={`Screenshot sent with “${submissionTitle(s)}”`} />
        </section>
      )}
    </>
  );
}
