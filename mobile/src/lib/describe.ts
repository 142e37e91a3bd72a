import type { Analysis, SubmissionStatus, Word } from '../api/types';
import type { QueueItem } from '../queue/types';

const STATUS_TEXT: Record<SubmissionStatus, string> = {
  pending: 'Received',
  validating: 'Checking the audio',
  stored: 'Stored',
  transcribing: 'Transcribing',
  analyzing: 'Analysing',
  completed: 'Ready',
  rejected: 'Rejected',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

export function statusText(status: SubmissionStatus): string {
  return STATUS_TEXT[status] ?? status;
}

/** The state of a recording still on the device, in words. */
export function queueStateText(item: QueueItem, online: boolean): string {
  switch (item.state) {
    case 'waiting':
      if (!online) return 'Saved on this device – will send when online';
      return item.attempts > 0 ? `Waiting to retry (attempt ${item.attempts + 1})` : 'Waiting to send';
    case 'uploading':
      return 'Sending…';
    case 'sent':
      return 'Sent';
    case 'failed':
      return `Not accepted: ${item.lastError ?? 'unknown reason'}`;
  }
}

export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  return `${Math.floor(total / 60)}:${String(total % 60).padStart(2, '0')}`;
}

/** The index of the word being spoken at `seconds`, or -1 (before the first word or when there are none). */
export function currentWordIndex(words: readonly Word[], seconds: number): number {
  let lo = 0;
  let hi = words.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (words[mid]!.start <= seconds) {
      found = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return found;
}

const INTENT_TEXT: Record<string, string> = {
  bug_report: 'reports a problem',
  complaint: 'is a complaint',
  feature_request: 'asks for something new',
  praise: 'is praise',
  question: 'asks a question',
  suggestion: 'makes a suggestion',
  other: 'is general feedback',
};

function keywordText(k: Analysis['keywords'][number]): string {
  return typeof k === 'string' ? k : (k.keyword ?? k.text ?? '');
}

/** The analysis as a few plain sentences a person reads at a glance. */
export function describeAnalysis(a: Analysis): string[] {
  const lines: string[] = [];
  const strength = Math.abs(a.sentiment.score) >= 0.5 ? 'clearly ' : Math.abs(a.sentiment.score) >= 0.2 ? '' : 'mildly ';
  lines.push(a.sentiment.label === 'neutral' ? 'The tone is neutral.' : `The tone is ${strength}${a.sentiment.label}.`);
  const intent = INTENT_TEXT[a.intent.label] ?? `is about: ${a.intent.label.replace(/_/g, ' ')}`;
  lines.push(`This feedback ${intent}.`);
  const emotions = a.emotions.filter((e) => e.score >= 0.3).map((e) => e.label);
  if (emotions.length) lines.push(`Feelings: ${emotions.slice(0, 2).join(', ')}.`);
  const keywords = a.keywords.map(keywordText).filter(Boolean).slice(0, 5);
  if (keywords.length) lines.push(`Key topics: ${keywords.join(', ')}.`);
  const importance = a.importanceScore >= 0.7 ? 'high' : a.importanceScore >= 0.4 ? 'medium' : 'low';
  lines.push(`Importance: ${importance}.`);
  for (const item of a.actionItems) lines.push(`To do (${item.priority}): ${item.text}`);
  return lines;
}
