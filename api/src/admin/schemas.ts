import { z } from 'zod';
import { ROLES } from '@voyce/core';

export const userListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(200).optional(),
});

export const userIdParams = z.object({ id: z.uuid() });

export const userPatchBody = z
  .object({ role: z.enum(ROLES).optional(), disabled: z.boolean().optional() })
  .strict()
  .refine((b) => b.role !== undefined || b.disabled !== undefined, 'give role, disabled or both');

export const auditListQuery = z.object({
  userId: z.uuid().optional(),
  action: z.string().regex(/^[a-z_.]{1,64}$/).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().regex(/^\d{1,15}$/, 'not a cursor from this list').optional(),
});

export const auditEntrySchema = z.object({
  id: z.number().int(),
  action: z.string(),
  actorId: z.uuid().nullable(),
  subjectUserId: z.uuid().nullable(),
  ip: z.string().nullable(),
  detail: z.record(z.string(), z.unknown()).nullable(),
  createdAt: z.iso.datetime(),
});

/** Why the batch re-inference schedule is paused; becomes the schedule's note in Temporal. */
export const schedulePauseBody = z.object({ reason: z.string().trim().min(1).max(200).optional() }).strict();
