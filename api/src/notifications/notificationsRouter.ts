import { Router } from 'express';
import { z } from 'zod';
import { invalidField, type NotificationSettingsRepository } from '@voyce/core';
import type { ApiDeps } from '../deps';
import { principalOf, requireAuth } from '../auth/requireAuth';
import type { TokenService } from '../auth/tokens';
import { parseOrThrow } from '../http/validate';

const PRIVATE_HOST = /^(localhost|127\.|10\.|192\.168\.|172\.(1[6-9]|2\d|3[01])\.|169\.254\.|\[?::1\]?$|0\.0\.0\.0)/i;

export const settingsBody = z
  .object({
    webhookUrl: z.url({ protocol: /^https?$/ }).max(2048).nullable().optional(),
    emailEnabled: z.boolean().optional(),
  })
  .strict();

/** The owner's view: never the secret itself, except in the one answer that creates or rotates it. */
const present = (s: { webhookUrl: string | null; webhookSecret: string | null; emailEnabled: boolean }, newSecret?: string | null) => ({
  webhookUrl: s.webhookUrl,
  hasWebhookSecret: s.webhookSecret !== null,
  emailEnabled: s.emailEnabled,
  ...(newSecret ? { webhookSecret: newSecret } : {}),
});

/**
 * `/api/notifications/settings`: where Voyce tells a user that a submission completed or failed — a webhook
 * signed with HMAC-SHA256 (see README) and/or an e-mail.
 */
export function createNotificationsRouter(deps: ApiDeps, tokens: TokenService, settings: NotificationSettingsRepository): Router {
  const router = Router();
  router.use(requireAuth(tokens, deps.principals));
  // Webhooks to private addresses would let a user probe the internal network from our workers (SSRF).
  const allowPrivate = deps.config.NODE_ENV !== 'production';

  router.get('/settings', async (req, res) => {
    res.json({ settings: present(await settings.get(principalOf(req).id)) });
  });

  router.put('/settings', async (req, res) => {
    const body = parseOrThrow(settingsBody, req.body, 422);
    if (body.webhookUrl && !allowPrivate && PRIVATE_HOST.test(new URL(body.webhookUrl).hostname)) {
      throw invalidField('Invalid request: webhookUrl: must be a public address.', [{ field: 'webhookUrl', message: 'must be a public address' }]);
    }
    const saved = await settings.save(principalOf(req).id, body);
    res.json({ settings: present(saved, saved.newSecret) });
  });

  router.post('/settings/rotate-secret', async (req, res) => {
    const current = await settings.get(principalOf(req).id);
    if (!current.webhookUrl) throw invalidField('Set a webhook URL before rotating its secret.');
    const saved = await settings.save(principalOf(req).id, { rotateSecret: true });
    res.json({ settings: present(saved, saved.newSecret) });
  });

  return router;
}
