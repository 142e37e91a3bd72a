import type { Db } from './knex';

export const DEVICE_PLATFORMS = ['ios', 'android', 'web'] as const;
export type DevicePlatform = (typeof DEVICE_PLATFORMS)[number];

/** A phone (or browser) that receives push notifications for the account signed in on it. */
export interface Device {
  id: string;
  userId: string;
  pushToken: string;
  platform: DevicePlatform;
  appVersion: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface DeviceRegistration {
  pushToken: string;
  platform: DevicePlatform;
  appVersion?: string | null;
}

/** A user keeps at most this many devices; registering one more forgets the least recently registered. */
export const MAX_DEVICES_PER_USER = 20;

interface DeviceRow {
  id: string;
  user_id: string;
  push_token: string;
  platform: DevicePlatform;
  app_version: string | null;
  created_at: Date;
  updated_at: Date;
}

const toDevice = (r: DeviceRow): Device => ({
  id: r.id,
  userId: r.user_id,
  pushToken: r.push_token,
  platform: r.platform,
  appVersion: r.app_version,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

/** Push devices, keyed by their (unique) push token. */
export function createDeviceRepository(db: Db) {
  return {
    /**
     * Registers a token for `userId`, or answers the device that already has it. A token another account held
     * moves to this one: the phone notifies whoever signed in on it last. One statement, so concurrent
     * registrations of one token end with one row.
     */
    async register(userId: string, input: DeviceRegistration): Promise<{ device: Device; created: boolean }> {
      const fields = { user_id: userId, platform: input.platform, app_version: input.appVersion ?? null };
      const [row] = (await db('devices')
        .insert({ push_token: input.pushToken, ...fields })
        .onConflict('push_token')
        .merge({ ...fields, updated_at: db.fn.now() })
        .returning(['*', db.raw('(xmax = 0) AS created')])) as (DeviceRow & { created: boolean })[];
      if (!row) throw new Error('device upsert returned no row');
      await db('devices')
        .where({ user_id: userId })
        .whereNotIn('id', db('devices').select('id').where({ user_id: userId }).orderBy('updated_at', 'desc').orderBy('id', 'desc').limit(MAX_DEVICES_PER_USER))
        .delete();
      return { device: toDevice(row), created: row.created };
    },

    /** The user's devices, oldest first. */
    async listForUser(userId: string): Promise<Device[]> {
      const rows = await db<DeviceRow>('devices').where({ user_id: userId }).orderBy('created_at', 'asc').orderBy('id', 'asc');
      return rows.map(toDevice);
    },

    /** Deletes one of the user's devices; false when there is none with that id (or it is someone else's). */
    async deleteForUser(userId: string, id: string): Promise<boolean> {
      return (await db('devices').where({ id, user_id: userId }).delete()) > 0;
    },

    /** Forgets tokens the push service reports as no longer registered; returns how many rows went. */
    async deleteByTokens(tokens: string[]): Promise<number> {
      if (tokens.length === 0) return 0;
      return db('devices').whereIn('push_token', tokens).delete();
    },

    /**
     * Forgets devices whose push receipts said DeviceNotRegistered, by row id: a token deleted and registered
     * again since the push has a new id, so a stale receipt cannot remove the fresh registration.
     */
    async deleteByIds(ids: string[]): Promise<number> {
      if (ids.length === 0) return 0;
      return db('devices').whereIn('id', ids).delete();
    },
  };
}

export type DeviceRepository = ReturnType<typeof createDeviceRepository>;
