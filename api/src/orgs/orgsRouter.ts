import { Router, type Request } from 'express';
import { conflict, notFound, type Organisation } from '@voyce/core';
import type { ApiDeps } from '../deps';
import { principalOf, requireAuth } from '../auth/requireAuth';
import type { TokenService } from '../auth/tokens';
import { parseOrThrow } from '../http/validate';
import { acceptInvitation, inviteToOrg } from './invitations';
import { startOrgModelTraining } from './orgModels';
import { abilityOfPrincipal, authorize } from './permissions';
import { acceptBody, invitationBody, memberParams, orgBody, orgParams, presentInvitation, presentMember, presentOrg, presentOrgModel, roleBody } from './schemas';

/** `/api/orgs` (API.md "Organisations"): every decision goes through the permission module. */
export function createOrgsRouter(deps: ApiDeps, tokens: TokenService): Router {
  const router = Router();
  router.use(requireAuth(tokens, deps.principals));

  /** The organisation of `:id`, or 404 when it does not exist or the caller is not in it. */
  async function loadOrg(req: Request): Promise<Organisation> {
    const params = orgParams.safeParse(req.params);
    if (!params.success) throw notFound('The organisation');
    authorize(abilityOfPrincipal(principalOf(req)), 'read', 'Organisation', { id: params.data.id }, params.data.id);
    const org = await deps.orgs.findById(params.data.id);
    if (!org) throw notFound('The organisation');
    return org;
  }

  router.post('/', async (req, res) => {
    const { name } = parseOrThrow(orgBody, req.body, 422);
    const me = principalOf(req);
    const org = await deps.orgs.create(name, me.id);
    deps.principals.forget?.(me.id);
    await deps.audit.record({ action: 'org.created', actorId: me.id, subjectUserId: me.id, detail: { orgId: org.id } });
    res.status(201).location(`/api/orgs/${org.id}`).json({ org: presentOrg(org), role: 'owner' });
  });

  router.get('/', async (req, res) => {
    const items = await deps.orgs.listForUser(principalOf(req).id);
    res.json({ items: items.map(({ org, role }) => ({ org: presentOrg(org), role })) });
  });

  router.post('/invitations/accept', async (req, res) => {
    const { token } = parseOrThrow(acceptBody, req.body);
    const { org, role } = await acceptInvitation(deps, principalOf(req).id, token);
    res.json({ org: presentOrg(org), role });
  });

  router.get('/:id', async (req, res) => {
    res.json({ org: presentOrg(await loadOrg(req)) });
  });

  router.patch('/:id', async (req, res) => {
    const org = await loadOrg(req);
    authorize(abilityOfPrincipal(principalOf(req)), 'update', 'Organisation', { id: org.id }, org.id);
    const { name } = parseOrThrow(orgBody, req.body, 422);
    const renamed = await deps.orgs.rename(org.id, name);
    if (!renamed) throw notFound('The organisation');
    await deps.audit.record({ action: 'org.renamed', actorId: principalOf(req).id, detail: { orgId: org.id, from: org.name, to: name } });
    res.json({ org: presentOrg(renamed) });
  });

  router.get('/:id/members', async (req, res) => {
    const org = await loadOrg(req);
    authorize(abilityOfPrincipal(principalOf(req)), 'read', 'Membership', { orgId: org.id }, org.id);
    res.json({ items: (await deps.orgs.members(org.id)).map(presentMember) });
  });

  router.get('/:id/models', async (req, res) => {
    const org = await loadOrg(req);
    authorize(abilityOfPrincipal(principalOf(req)), 'read', 'OrgModel', { orgId: org.id }, org.id);
    res.json({ items: (await deps.orgModels.list(org.id)).map(presentOrgModel) });
  });

  router.post('/:id/models', async (req, res) => {
    const org = await loadOrg(req);
    const me = principalOf(req);
    authorize(abilityOfPrincipal(me), 'train', 'OrgModel', { orgId: org.id }, org.id);
    const run = await startOrgModelTraining({ orgModels: deps.orgModels, temporal: deps.temporal, taskQueue: deps.config.TEMPORAL_TASK_QUEUE }, org.id, me.id);
    await deps.audit.record({ action: 'org.model_training_requested', actorId: me.id, detail: { orgId: org.id, orgModelId: run.id } });
    res.status(202).location(`/api/orgs/${org.id}/models`).json({ training: { id: run.id, status: run.status } });
  });

  router.post('/:id/invitations', async (req, res) => {
    const org = await loadOrg(req);
    const me = principalOf(req);
    authorize(abilityOfPrincipal(me), 'invite', 'Organisation', { id: org.id }, org.id);
    const body = parseOrThrow(invitationBody, req.body, 422);
    const { invitation, token } = await inviteToOrg(deps, org, me.id, body);
    res.status(201).json({ invitation: presentInvitation(invitation), token });
  });

  router.patch('/:id/members/:userId', async (req, res) => {
    const org = await loadOrg(req);
    const { userId } = parseOrThrow(memberParams, req.params);
    const me = principalOf(req);
    authorize(abilityOfPrincipal(me), 'update', 'Membership', { orgId: org.id, userId }, org.id);
    const { role } = parseOrThrow(roleBody, req.body, 422);
    const outcome = await deps.orgs.setRole(org.id, userId, role);
    if (outcome === 'not_found') throw notFound('The member');
    if (outcome === 'last_owner') throw conflict('last_owner', 'An organisation needs at least one owner: make someone else owner first.');
    deps.principals.forget?.(userId);
    await deps.audit.record({ action: 'org.role_changed', actorId: me.id, subjectUserId: userId, detail: { orgId: org.id, role } });
    const member = (await deps.orgs.members(org.id)).find((m) => m.user.id === userId);
    if (!member) throw notFound('The member');
    res.json({ member: presentMember(member) });
  });

  // Removing someone (owner) and leaving (the member themself) are the same row going.
  router.delete('/:id/members/:userId', async (req, res) => {
    const org = await loadOrg(req);
    const { userId } = parseOrThrow(memberParams, req.params);
    const me = principalOf(req);
    authorize(abilityOfPrincipal(me), userId === me.id ? 'leave' : 'delete', 'Membership', { orgId: org.id, userId }, org.id);
    const outcome = await deps.orgs.removeMember(org.id, userId);
    if (outcome === 'not_found') throw notFound('The member');
    if (outcome === 'last_owner') throw conflict('last_owner', 'The last owner cannot leave: make someone else owner first.');
    deps.principals.forget?.(userId);
    await deps.audit.record({ action: 'org.member_removed', actorId: me.id, subjectUserId: userId, detail: { orgId: org.id } });
    res.status(204).end();
  });

  return router;
}
