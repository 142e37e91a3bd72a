import { ApiError, SignedOutError, type OrgMembership } from '@voyce/api-client';
import type { OrgsAnswer } from '../../shared/orgChoice';
import { api } from '../session';

/** `orgs/list`: the signed-in user's organisations (GET /api/orgs); `items: null` when the server cannot answer now. */
export async function onOrgsList(): Promise<OrgsAnswer | null> {
  const session = await api.session();
  if (!session) return null;
  try {
    const { items } = await api.json<{ items: OrgMembership[] }>('/api/orgs');
    return { userId: session.user.id, items };
  } catch (err) {
    if (err instanceof SignedOutError || (err instanceof ApiError && err.status === 401)) return null;
    return { userId: session.user.id, items: null };
  }
}
