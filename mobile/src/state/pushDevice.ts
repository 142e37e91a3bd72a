import { ApiError, NetworkError, type VoyceApi } from '../api/client';
import type { Connectivity } from '../platform/connectivity';
import type { KeyValue } from '../platform/keyValue';
import type { SessionState } from './session';

const KEY = 'voyce.pushDevice';

/** The device this app registered for push: the id the server answered, for which account on which server. */
interface StoredDevice {
  id: string;
  userId: string;
  serverUrl: string;
  /** Notifications were turned off (or the account signed out) and the server's row still has to go. */
  remove: boolean;
}

/** What {@link PushDevice.forget} did: deleted on the server (or already gone), left for later, or nothing known to delete. */
export type ForgetOutcome = 'removed' | 'pending' | 'none';

export interface PushDeviceOptions {
  kv: KeyValue;
  api: Pick<VoyceApi, 'registerDevice' | 'deleteDevice'>;
  session: { get(): SessionState };
  connectivity: Connectivity;
}

/**
 * This app's registration in `/api/devices`. The id `POST /api/devices` answers is kept in the KeyValue store;
 * turning notifications off or signing out deletes it with `DELETE /api/devices/:id` (a 404 means already gone).
 * Offline, a 5xx or a 429 leave the deletion pending in the store: it is tried again at the next start, when
 * connectivity comes back, and when the same account is signed in again. One operation runs at a time, so a quick
 * off-on-off ends in the state last asked for.
 */
export class PushDevice {
  private chain: Promise<unknown> = Promise.resolve();
  private unsubscribe: (() => void) | null = null;

  constructor(private readonly opts: PushDeviceOptions) {}

  /** Listens for the network coming back and tries a deletion left over from an earlier run. */
  start(): Promise<ForgetOutcome> {
    this.unsubscribe ??= this.opts.connectivity.subscribe((online) => {
      if (online) void this.retry();
    });
    return this.retry();
  }

  stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
  }

  /** Registers the push token for the signed-in account and keeps the device id the server answers. */
  register(pushToken: string, platform: 'ios' | 'android' | 'web', appVersion?: string): Promise<void> {
    return this.serial(async () => {
      const { user, serverUrl } = this.opts.session.get();
      const device = await this.opts.api.registerDevice(pushToken, platform, appVersion);
      // The server holds this registration now (a pending deletion of the same token's row is moot: it moved here).
      if (user) await this.save({ id: device.id, userId: user.id, serverUrl, remove: false });
    });
  }

  /** Deletes this app's device on the server, or leaves the deletion pending when the server cannot be reached. */
  forget(): Promise<ForgetOutcome> {
    return this.serial(async () => {
      const stored = await this.load();
      if (!stored) return 'none';
      if (!stored.remove) await this.save({ ...stored, remove: true });
      return this.tryDelete(stored);
    });
  }

  /** Tries a pending deletion again (at start, back online, signed in again). */
  retry(): Promise<ForgetOutcome> {
    return this.serial(async () => {
      const stored = await this.load();
      return stored?.remove ? this.tryDelete(stored) : 'none';
    });
  }

  /** Whether a deletion waits for the server. */
  async pending(): Promise<boolean> {
    return (await this.load())?.remove ?? false;
  }

  private async tryDelete(stored: StoredDevice): Promise<ForgetOutcome> {
    const { tokens, user, serverUrl } = this.opts.session.get();
    // Only the account that registered it can delete it, on its server: wait until it is signed in there again.
    if (!tokens || user?.id !== stored.userId || serverUrl !== stored.serverUrl) return 'pending';
    try {
      await this.opts.api.deleteDevice(stored.id);
    } catch (err) {
      const status = err instanceof ApiError ? err.status : 0;
      const transient = err instanceof NetworkError || status >= 500 || status === 429 || status === 408 || status === 401;
      if (transient) return 'pending';
      if (status !== 404) {
        // Refused for another reason (400, 403): asking again cannot help.
        await this.save(null);
        return 'none';
      }
    }
    await this.save(null);
    return 'removed';
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.chain.then(fn, fn);
    this.chain = run.catch(() => undefined);
    return run;
  }

  private async load(): Promise<StoredDevice | null> {
    const raw = await this.opts.kv.get(KEY);
    if (!raw) return null;
    try {
      return JSON.parse(raw) as StoredDevice;
    } catch {
      return null;
    }
  }

  private save(device: StoredDevice | null): Promise<void> {
    return this.opts.kv.set(KEY, device ? JSON.stringify(device) : null);
  }
}
