import { randomBytes } from 'node:crypto';
import type { ColumnCipher } from '../crypto/columnCipher';
import { columnContext, WEBHOOK_SECRET_COLUMN } from '../crypto/encryptedColumns';
import type { Db } from './knex';

export interface NotificationSettings {
  webhookUrl: string | null;
  /** Decrypted; only the worker that signs deliveries and the one answer that creates it ever see it. */
  webhookSecret: string | null;
  emailEnabled: boolean;
}

interface Row {
  user_id: string;
  webhook_url: string | null;
  webhook_secret: string | null;
  email_enabled: boolean;
}

const DEFAULTS: NotificationSettings = { webhookUrl: null, webhookSecret: null, emailEnabled: false };

/** Notification settings per user; the webhook signing secret is stored encrypted (AES-256-GCM, per row AAD). */
export function createNotificationSettingsRepository(db: Db, cipher: ColumnCipher) {
  const context = (userId: string) => columnContext(WEBHOOK_SECRET_COLUMN, userId);
  return {
    async get(userId: string): Promise<NotificationSettings> {
      const row = await db<Row>('notification_settings').where({ user_id: userId }).first();
      if (!row) return DEFAULTS;
      return {
        webhookUrl: row.webhook_url,
        webhookSecret: row.webhook_secret ? cipher.decrypt(row.webhook_secret, context(userId)) : null,
        emailEnabled: row.email_enabled,
      };
    },
    /**
     * Saves the settings. A secret is generated when a webhook is first set or on `rotateSecret`, and returned
     * (once) so the owner can verify signatures; otherwise the existing secret is kept.
     */
    async save(userId: string, input: { webhookUrl?: string | null; emailEnabled?: boolean; rotateSecret?: boolean }): Promise<NotificationSettings & { newSecret: string | null }> {
      const current = await this.get(userId);
      const webhookUrl = input.webhookUrl === undefined ? current.webhookUrl : input.webhookUrl;
      const needsSecret = webhookUrl !== null && (input.rotateSecret === true || current.webhookSecret === null);
      const newSecret = needsSecret ? `whsec_${randomBytes(24).toString('base64url')}` : null;
      const secret = webhookUrl === null ? null : (newSecret ?? current.webhookSecret);
      const row = {
        webhook_url: webhookUrl,
        webhook_secret: secret ? cipher.encrypt(secret, context(userId)) : null,
        email_enabled: input.emailEnabled ?? current.emailEnabled,
        updated_at: db.fn.now(),
      };
      await db('notification_settings').insert({ user_id: userId, ...row }).onConflict('user_id').merge(row);
      return { webhookUrl, webhookSecret: secret, emailEnabled: row.email_enabled, newSecret };
    },
  };
}

export type NotificationSettingsRepository = ReturnType<typeof createNotificationSettingsRepository>;
