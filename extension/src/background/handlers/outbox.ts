import { outbox } from '../outboxService';
import { captureContext } from '../pageContext';

/** `outbox/retryNow`: try everything waiting now, whatever its backoff. */
export async function onRetryNow(): Promise<{ ok: true }> {
  await outbox.flush(true);
  return { ok: true };
}

/** `context/capture`: describe the page being looked at again. */
export const onContextCapture = () => captureContext();
