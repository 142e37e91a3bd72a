/**
 * The organisation the record screen uploads into: the caller's organisations (GET /api/orgs), the choice kept in
 * the app's storage per account, checked against the list each time it is loaded. A remembered organisation the
 * person has left falls back to the personal one, and `lost` names it so the screen can say so.
 */
import { orderedOrgs, parseRememberedOrg, resolveOrgChoice, type Org, type OrgMembership } from '@voyce/api-client';
import type { VoyceApi } from '../api/client';
import type { KeyValue } from '../platform/keyValue';
import type { SessionStore } from './session';

export interface OrgChoiceState {
  /** The caller's organisations in picker order (empty until loaded, or offline). */
  items: OrgMembership[];
  /** Where new recordings go; null: not known (the API's default, the personal organisation). */
  current: Pick<Org, 'id' | 'name'> | null;
  /** The name of a remembered organisation the person is no longer in. */
  lost?: string;
}

export const orgChoiceKey = (userId: string): string => `voyce.uploadOrg.${userId}`;

export class OrgChoice {
  private state: OrgChoiceState = { items: [], current: null };
  private readonly listeners = new Set<() => void>();

  constructor(private readonly deps: { kv: KeyValue; api: Pick<VoyceApi, 'listOrgs'>; session: Pick<SessionStore, 'get'> }) {}

  get = (): OrgChoiceState => this.state;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** Loads the organisations of the signed-in account and checks the remembered choice against them. */
  async refresh(): Promise<void> {
    const userId = this.deps.session.get().user?.id;
    if (!userId) return this.set({ items: [], current: null });
    const remembered = parseRememberedOrg(await this.deps.kv.get(orgChoiceKey(userId)));
    let items: OrgMembership[];
    try {
      items = await this.deps.api.listOrgs();
    } catch {
      // Offline (or the server cannot say): the remembered choice stands; the server checks it on upload.
      return this.set({ items: [], current: remembered });
    }
    if (this.deps.session.get().user?.id !== userId) return; // signed out or another account meanwhile
    const choice = resolveOrgChoice(items, remembered);
    if (choice.lost !== undefined && choice.org) await this.remember(userId, choice.org);
    this.set({ items: orderedOrgs(items), current: choice.org, ...(choice.lost !== undefined ? { lost: choice.lost } : {}) });
  }

  /** The person picked one of their organisations; anything else is ignored. */
  async choose(orgId: string): Promise<void> {
    const userId = this.deps.session.get().user?.id;
    const org = this.state.items.find((m) => m.org.id === orgId)?.org;
    if (!userId || !org) return;
    this.set({ items: this.state.items, current: org });
    await this.remember(userId, org);
  }

  /** The orgId for the next recording. */
  currentId(): string | undefined {
    return this.state.current?.id;
  }

  private async remember(userId: string, org: Pick<Org, 'id' | 'name'>): Promise<void> {
    await this.deps.kv.set(orgChoiceKey(userId), JSON.stringify({ id: org.id, name: org.name }));
  }

  private set(state: OrgChoiceState): void {
    this.state = state;
    for (const l of this.listeners) l();
  }
}
