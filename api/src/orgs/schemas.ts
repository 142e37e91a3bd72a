import { z } from 'zod';
import { ORG_MODEL_STATUSES, ORG_ROLES, type OrgInvitation, type OrgMember, type OrgModel, type Organisation } from '@voyce/core';

export const orgName = z.string().trim().min(1).max(100);
export const orgBody = z.object({ name: orgName }).strict();
export const orgParams = z.object({ id: z.uuid() });
export const memberParams = z.object({ id: z.uuid(), userId: z.uuid() });
export const roleBody = z.object({ role: z.enum(ORG_ROLES) }).strict();
export const invitationBody = z.object({ email: z.email().max(254), role: z.enum(ORG_ROLES) }).strict();
export const acceptBody = z.object({ token: z.string().min(16).max(200) }).strict();

export const orgSchema = z.object({ id: z.uuid(), name: z.string(), personal: z.boolean(), createdAt: z.iso.datetime() });
export const memberSchema = z.object({
  user: z.object({ id: z.uuid(), username: z.string(), email: z.string() }),
  role: z.enum(ORG_ROLES),
  joinedAt: z.iso.datetime(),
});
export const invitationSchema = z.object({ id: z.uuid(), email: z.string(), role: z.enum(ORG_ROLES), expiresAt: z.iso.datetime() });

export const presentOrg = (o: Organisation): z.infer<typeof orgSchema> => ({ id: o.id, name: o.name, personal: o.personal, createdAt: o.createdAt.toISOString() });
export const presentMember = (m: OrgMember): z.infer<typeof memberSchema> => ({ user: m.user, role: m.role, joinedAt: m.joinedAt.toISOString() });
export const presentInvitation = (i: OrgInvitation): z.infer<typeof invitationSchema> => ({ id: i.id, email: i.email, role: i.role, expiresAt: i.expiresAt.toISOString() });

export const orgModelSchema = z.object({
  id: z.uuid(),
  modelVersion: z.string().nullable(),
  status: z.enum(ORG_MODEL_STATUSES),
  active: z.boolean(),
  labels: z.number().int(),
  evaluation: z.object({ before: z.number().nullable(), after: z.number().nullable(), n: z.number().int() }).nullable(),
  error: z.string().nullable(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export const trainingSchema = z.object({ id: z.uuid(), status: z.enum(ORG_MODEL_STATUSES) });

/** A run as the API shows it: evaluation reduced to the contract's before/after/n (the job's per-head detail stays in the row). */
export const presentOrgModel = (m: OrgModel): z.infer<typeof orgModelSchema> => ({
  id: m.id,
  modelVersion: m.modelVersion,
  status: m.status,
  active: m.active,
  labels: m.labels,
  evaluation: m.evaluation ? { before: m.evaluation.before ?? null, after: m.evaluation.after ?? null, n: m.evaluation.n } : null,
  error: m.error,
  createdAt: m.createdAt.toISOString(),
  updatedAt: m.updatedAt.toISOString(),
});
