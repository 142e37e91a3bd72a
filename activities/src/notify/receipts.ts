import { Context } from '@temporalio/activity';
import { chunk, DEVICE_NOT_REGISTERED, EXPO_RECEIPTS_CHUNK_SIZE, fetchExpoReceipts } from '../expoPush';
import type { CheckPushReceiptsInput, NotifyActivityDeps, PushReceiptsResult, PushTicketRef } from './types';

/** Receipt chunks already handled, and what they found, so a retry asks Expo only for the rest. */
interface ReceiptsCheckpoint {
  chunksDone: number;
  result: PushReceiptsResult;
}

/** The check of Expo's receipts for the messages `sendPush` got accepted. */
export function createReceiptsActivities(deps: NotifyActivityDeps) {
  return {
    /**
     * Fetches the receipts of the tickets `sendPush` got (Expo reports some delivery errors only there), in chunks
     * of at most 1000 ids, and deletes the devices whose receipt says `DeviceNotRegistered`; other receipt errors
     * are logged with their counts. Expo down throws and Temporal retries, as for `sendPush`; chunks already
     * handled are checkpointed in the heartbeat. Tickets without a receipt (not ready, or expired) are counted.
     */
    async checkPushReceipts({ submissionId, tickets }: CheckPushReceiptsInput): Promise<PushReceiptsResult> {
      const ctx = Context.current();
      const checkpoint = ctx.info.heartbeatDetails as ReceiptsCheckpoint | undefined;
      const result: PushReceiptsResult = checkpoint?.result ?? { tickets: tickets.length, ok: 0, missing: 0, errors: {}, unregistered: 0 };
      const push = deps.notifier?.push;
      if (!push || tickets.length === 0) return result;
      const chunks = chunk(tickets, EXPO_RECEIPTS_CHUNK_SIZE);
      for (let i = checkpoint?.chunksDone ?? 0; i < chunks.length; i++) {
        const part = chunks[i] as PushTicketRef[];
        const receipts = await fetchExpoReceipts(push, part.map((t) => t.id));
        const dead: string[] = [];
        for (const ticket of part) {
          const receipt = receipts[ticket.id];
          if (!receipt) {
            result.missing++;
          } else if (receipt.status === 'ok') {
            result.ok++;
          } else {
            const code = receipt.details?.error ?? 'unknown';
            result.errors[code] = (result.errors[code] ?? 0) + 1;
            if (code === DEVICE_NOT_REGISTERED) dead.push(ticket.deviceId);
          }
        }
        if (dead.length > 0) {
          result.unregistered += await push.devices.deleteByIds(dead);
          deps.logger?.info({ submissionId, devices: dead }, 'removed devices whose push receipt said DeviceNotRegistered');
        }
        ctx.heartbeat({ chunksDone: i + 1, result } satisfies ReceiptsCheckpoint);
      }
      const otherErrors = Object.entries(result.errors).filter(([code]) => code !== DEVICE_NOT_REGISTERED);
      if (otherErrors.length > 0) {
        deps.logger?.warn({ submissionId, errors: Object.fromEntries(otherErrors), tickets: result.tickets }, 'push receipts report delivery errors');
      }
      if (result.missing > 0) deps.logger?.info({ submissionId, missing: result.missing, tickets: result.tickets }, 'push receipts not available');
      return result;
    },
  };
}
