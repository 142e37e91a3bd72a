import { idb } from '../shared/idb';
import { follow } from './follow';
import { createOutbox, type OutboxItem } from './outbox';
import { report } from './recent';
import { api } from './session';

/** The worker's outbox: uploads from IndexedDB with retries, woken by a timer and an alarm; sent ones are followed. */
let wakeTimer: ReturnType<typeof setTimeout> | undefined;
export const outbox = createOutbox({
  items: {
    all: () => idb.all<OutboxItem>('outbox'),
    put: async (item) => void (await idb.put('outbox', item.localId, item)),
    delete: (localId) => idb.delete('outbox', localId),
  },
  upload: (form, key) => api.upload(form, key),
  report,
  wakeAt(at) {
    clearTimeout(wakeTimer);
    wakeTimer = setTimeout(() => void outbox.flush(), Math.max(0, at - Date.now()));
    // If the worker is stopped meanwhile, the alarm starts it again (Chrome rounds up to 30 s when packed).
    void chrome.alarms.create('outbox', { when: Math.max(at, Date.now() + 1000) });
  },
  onSent: (_localId, submissionId) => void follow(submissionId),
});
