import { buildContext, dataUrlToBlob } from '../../shared/context';
import { DRAFT_KEY, type Draft, idb } from '../../shared/idb';
import type { SubmitRequest } from '../../shared/messages';
import type { CapturedContext } from '../capture';
import type { OutboxItem } from '../outbox';
import { outbox } from '../outboxService';
import { browserDescription } from '../pageContext';
import { report } from '../recent';
import { setRecorder } from '../recorder';

const VERSION = chrome.runtime.getManifest().version;

/** `submit`: the draft and its page context go into the outbox (kept until sent); the popup follows `recent`. */
export async function onSubmit({ title, category, language, orgId, include }: SubmitRequest): Promise<{ localId: string }> {
  const draft = await idb.get<Draft>('drafts', DRAFT_KEY);
  if (!draft) throw new Error('There is no recording to send.');
  const { captured } = (await chrome.storage.session.get('captured')) as { captured?: CapturedContext };
  const context = buildContext(captured?.facts ?? {}, browserDescription(), `extension ${VERSION}`, include);
  const localId = crypto.randomUUID();
  const item: OutboxItem = {
    localId,
    idempotencyKey: `voyce-ext-${localId}`,
    createdAt: Date.now(),
    attempts: 0,
    nextAttemptAt: Date.now(),
    fields: { ...(title ? { title } : {}), ...(category ? { category } : {}), ...(language ? { language } : {}), ...(orgId ? { orgId } : {}), context: JSON.stringify(context) },
    audio: draft.audio,
    filename: draft.filename,
    ...(include.screenshot && captured?.screenshot ? { screenshot: dataUrlToBlob(captured.screenshot) } : {}),
  };
  await report(localId, { state: 'queued', attempts: 0, ...(title ? { title } : {}), createdAt: item.createdAt });
  await idb.put('outbox', localId, item);
  await idb.delete('drafts', DRAFT_KEY);
  await setRecorder({ phase: 'idle' });
  await chrome.storage.session.remove(['captured', 'unseen']);
  void outbox.flush(); // the popup follows progress through `recent`; it may close meanwhile
  return { localId };
}
