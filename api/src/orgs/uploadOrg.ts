import { notFound } from '@voyce/core';
import type { ApiDeps } from '../deps';
import type { Principal } from '../auth/requireAuth';
import { authorize, abilityOfPrincipal } from './permissions';

/**
 * The organisation a new submission is filed in: the one the upload names, which the caller must belong to
 * (404 otherwise, as for any organisation not theirs), else the caller's personal organisation.
 */
export async function uploadOrgOf(deps: Pick<ApiDeps, 'orgs'>, me: Principal, orgId: string | undefined): Promise<string> {
  if (orgId) {
    authorize(abilityOfPrincipal(me), 'create', 'Submission', { orgId, userId: me.id }, orgId);
    return orgId;
  }
  const personal = await deps.orgs.personalOf(me.id);
  if (!personal) throw notFound('Your personal organisation');
  return personal.id;
}
