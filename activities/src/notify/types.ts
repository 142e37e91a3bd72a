import type { ActivityDeps, NotifierDeps } from '../deps';

export type SubmissionEventType = 'submission.completed' | 'submission.failed';

export interface NotifyInput {
  submissionId: string;
  event: SubmissionEventType;
}

/** An accepted message: Expo's ticket id (to fetch its receipt by) and the device it went to. */
export interface PushTicketRef {
  id: string;
  deviceId: string;
}

/** What one `sendPush` did: messages Expo accepted, refused, and dead tokens removed from the devices table. */
export interface PushResult {
  devices: number;
  accepted: number;
  refused: number;
  unregistered: number;
  /** One per accepted message, for `checkPushReceipts` (absent from results recorded before receipts were checked). */
  tickets?: PushTicketRef[];
  /** How long to wait before fetching the receipts (the worker's EXPO_PUSH_RECEIPT_DELAY_SECONDS). */
  receiptDelayMs?: number;
}

export interface CheckPushReceiptsInput {
  submissionId: string;
  tickets: PushTicketRef[];
}

/** What one `checkPushReceipts` found: receipts ok, not there (yet), errors by code, and devices removed. */
export interface PushReceiptsResult {
  tickets: number;
  ok: number;
  missing: number;
  /** Receipt errors by Expo's code (DeviceNotRegistered, MessageRateExceeded, ...). */
  errors: Record<string, number>;
  /** Devices deleted because their receipt said DeviceNotRegistered. */
  unregistered: number;
}

/** What the notify activities need: the submission and result repositories, a logger, and the channels' clients. */
export type NotifyActivityDeps = Pick<ActivityDeps, 'submissions' | 'results' | 'logger'> & { notifier?: NotifierDeps };
