import { Router } from 'express';
import { z } from 'zod';
import { DEVICE_PLATFORMS, notFound, type Device, type DeviceRepository } from '@voyce/core';
import type { ApiDeps } from '../deps';
import { principalOf, requireAuth } from '../auth/requireAuth';
import type { TokenService } from '../auth/tokens';
import { parseOrThrow } from '../http/validate';

/** What `getExpoPushTokenAsync` hands the app: `ExponentPushToken[…]` (or the newer `ExpoPushToken[…]`). */
const EXPO_PUSH_TOKEN = /^Expo(nent)?PushToken\[[^\][\s]{1,200}\]$/;

export const deviceBody = z
  .object({
    pushToken: z.string().regex(EXPO_PUSH_TOKEN, 'must be an Expo push token, ExponentPushToken[…]'),
    platform: z.enum(DEVICE_PLATFORMS),
    appVersion: z.string().trim().min(1).max(64).optional(),
  })
  .strict();

export const deviceParams = z.object({ id: z.uuid() });

export const deviceSchema = z.object({
  id: z.uuid(),
  pushToken: z.string(),
  platform: z.enum(DEVICE_PLATFORMS),
  appVersion: z.string().nullable(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});

const present = (d: Device): z.infer<typeof deviceSchema> => ({
  id: d.id,
  pushToken: d.pushToken,
  platform: d.platform,
  appVersion: d.appVersion,
  createdAt: d.createdAt.toISOString(),
  updatedAt: d.updatedAt.toISOString(),
});

/**
 * `/api/devices`: the caller's push devices. The mobile app registers its Expo push token after sign-in (again on
 * every start: registering is idempotent) and deletes it on sign-out or when notifications are turned off.
 */
export function createDevicesRouter(deps: ApiDeps, tokens: TokenService, devices: DeviceRepository): Router {
  const router = Router();
  router.use(requireAuth(tokens, deps.principals));

  router.post('/', async (req, res) => {
    const body = parseOrThrow(deviceBody, req.body);
    const { device } = await devices.register(principalOf(req).id, body);
    // 201 for a repeat too (as the contract says): the answer is the one device that holds the token.
    res.status(201).json({ device: present(device) });
  });

  router.get('/', async (req, res) => {
    // The list shape of every other list; a user has at most MAX_DEVICES_PER_USER, so never a second page.
    res.json({ items: (await devices.listForUser(principalOf(req).id)).map(present), nextCursor: null });
  });

  router.delete('/:id', async (req, res) => {
    const params = deviceParams.safeParse(req.params);
    if (!params.success || !(await devices.deleteForUser(principalOf(req).id, params.data.id))) throw notFound('The device');
    res.status(204).end();
  });

  return router;
}
