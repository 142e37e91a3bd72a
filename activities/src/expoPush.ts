import { ApplicationFailure } from '@temporalio/common';

/** Expo accepts at most this many messages in one request to /push/send. */
export const EXPO_PUSH_CHUNK_SIZE = 100;

/** The push service refused the request itself (bad access token, malformed body): retrying cannot help. */
export const PUSH_REFUSED_ERROR = 'PushRefused';

/** The ticket error telling us a token is dead (app uninstalled, notifications revoked): stop sending to it. */
export const DEVICE_NOT_REGISTERED = 'DeviceNotRegistered';

/** One notification to one device, in the shape of Expo's push API. */
export interface ExpoPushMessage {
  to: string;
  title: string;
  body: string;
  data: Record<string, unknown>;
  sound?: 'default';
}

/**
 * Expo's answer per message, in request order: accepted (with a receipt id) or refused, with the reason in
 * `details.error` (DeviceNotRegistered, MessageTooBig, MessageRateExceeded, InvalidCredentials, ...).
 */
export type ExpoPushTicket =
  | { status: 'ok'; id: string }
  | { status: 'error'; message: string; details?: { error?: string; expoPushToken?: string } };

export interface ExpoPushTarget {
  url: string;
  accessToken?: string | undefined;
  timeoutMs: number;
}

/** Splits `items` into runs of at most `size`. */
export function chunk<T>(items: readonly T[], size = EXPO_PUSH_CHUNK_SIZE): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}

/** Seconds of a `Retry-After` header (delta form only), capped so one answer cannot park the activity for hours. */
function retryAfterMs(header: string | null): number | undefined {
  const seconds = header && /^\d+$/.test(header.trim()) ? Number(header) : NaN;
  return Number.isFinite(seconds) && seconds > 0 ? Math.min(seconds, 600) * 1000 : undefined;
}

/** Expo answers at most this many receipt ids in one request to /push/getReceipts. */
export const EXPO_RECEIPTS_CHUNK_SIZE = 1000;

/**
 * Expo's receipt of one accepted message, fetched later by its ticket id: delivered to Apple/Google, or an error
 * whose `details.error` names it (DeviceNotRegistered, MessageTooBig, MessageRateExceeded, MismatchSenderId,
 * InvalidCredentials, ...). Absent from the answer while not ready yet (or after about a day, when Expo drops it).
 */
export type ExpoPushReceipt =
  | { status: 'ok' }
  | { status: 'error'; message: string; details?: { error?: string; expoPushToken?: string } };

/**
 * The receipts endpoint beside the configured send endpoint (EXPO_PUSH_URL): `…/push/send` → `…/push/getReceipts`,
 * so a local stand-in for Expo serves both under the same base.
 */
export function expoReceiptsUrl(sendUrl: string): string {
  const url = new URL(sendUrl);
  url.pathname = url.pathname.replace(/\/+$/, '');
  url.search = '';
  return new URL('getReceipts', url).toString();
}

/**
 * Posts `body` as JSON to one of Expo's push endpoints and returns the answer's `data`. A network error, a timeout,
 * a 429 or a 5xx throws a retryable failure (a 429's Retry-After becomes the next retry's delay); another 4xx, or
 * errors about the request as a whole, are `PushRefused` and not retried.
 */
async function postJsonToExpo(target: ExpoPushTarget, body: unknown): Promise<unknown> {
  const host = new URL(target.url).host;
  let res: Response;
  let text: string;
  try {
    res = await fetch(target.url, {
      method: 'POST',
      headers: {
        accept: 'application/json',
        'content-type': 'application/json',
        ...(target.accessToken ? { authorization: `Bearer ${target.accessToken}` } : {}),
      },
      body: JSON.stringify(body),
      redirect: 'error',
      signal: AbortSignal.timeout(target.timeoutMs),
    });
    text = await res.text();
  } catch (err) {
    throw new Error(`push service ${host} unreachable: ${(err as Error).message}`);
  }
  if (res.status === 429 || res.status >= 500) {
    throw ApplicationFailure.create({
      message: `push service answered ${res.status}`,
      type: 'PushServiceUnavailable',
      nextRetryDelay: res.status === 429 ? retryAfterMs(res.headers.get('retry-after')) : undefined,
    });
  }
  let parsed: { data?: unknown; errors?: { code?: string; message?: string }[] } | undefined;
  try {
    parsed = JSON.parse(text) as typeof parsed;
  } catch {
    parsed = undefined;
  }
  const requestErrors = parsed?.errors?.map((e) => `${e.code ?? 'error'}: ${e.message ?? ''}`).join('; ');
  if (res.status !== 200 || requestErrors) {
    throw ApplicationFailure.nonRetryable(`push service refused the request (${res.status}): ${requestErrors || text.slice(0, 200)}`, PUSH_REFUSED_ERROR);
  }
  return parsed?.data;
}

/** Posts up to 100 messages to Expo's push API (/push/send) and returns one ticket per message; failures as {@link postJsonToExpo}. */
export async function postToExpo(target: ExpoPushTarget, messages: ExpoPushMessage[]): Promise<ExpoPushTicket[]> {
  if (messages.length > EXPO_PUSH_CHUNK_SIZE) throw new RangeError(`at most ${EXPO_PUSH_CHUNK_SIZE} messages per request`);
  const tickets = await postJsonToExpo(target, messages);
  // A body that is not Expo's (a proxy's error page served as 200) is treated like an outage: retried.
  if (!Array.isArray(tickets) || tickets.length !== messages.length) {
    throw new Error(`push service answered ${Array.isArray(tickets) ? tickets.length : 'no'} tickets for ${messages.length} messages`);
  }
  return tickets as ExpoPushTicket[];
}

/**
 * Asks Expo for the receipts of up to 1000 tickets (`target.url` is the send endpoint; the receipts endpoint is
 * {@link expoReceiptsUrl} of it). Returns the receipts by ticket id; ids without a receipt yet are simply absent.
 * Failures as {@link postJsonToExpo}.
 */
export async function fetchExpoReceipts(target: ExpoPushTarget, ids: string[]): Promise<Record<string, ExpoPushReceipt>> {
  if (ids.length > EXPO_RECEIPTS_CHUNK_SIZE) throw new RangeError(`at most ${EXPO_RECEIPTS_CHUNK_SIZE} receipt ids per request`);
  const receipts = await postJsonToExpo({ ...target, url: expoReceiptsUrl(target.url) }, { ids });
  // Not Expo's shape (a proxy's page served as 200): retried, like a garbled send answer.
  if (receipts === null || typeof receipts !== 'object' || Array.isArray(receipts)) throw new Error('push service answered no receipts object');
  return receipts as Record<string, ExpoPushReceipt>;
}
