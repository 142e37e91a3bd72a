import { create } from 'zustand';
import { api } from '../api/client';

export type OrgRole = 'member' | 'analyst' | 'owner';
export interface Org {
  id: string;
  name: string;
  personal: boolean;
  createdAt: string;
}
export interface OrgMembership {
  org: Org;
  role: OrgRole;
}

/** The organisation chosen in the header, remembered per browser. */
const KEY = 'voyce.org';

interface OrgState {
  items: OrgMembership[];
  /** The organisation lists, the dashboard and new recordings are for; null: the personal one (the API's default). */
  currentId: string | null;
  load(): Promise<void>;
  choose(id: string | null): void;
}

const remembered = (): string | null => {
  try {
    return localStorage.getItem(KEY);
  } catch {
    return null;
  }
};

export const useOrgs = create<OrgState>((set, get) => ({
  items: [],
  currentId: remembered(),
  async load() {
    const { items } = await api<{ items: OrgMembership[] }>('/api/orgs');
    // A remembered organisation the user has left falls back to the personal one.
    const currentId = items.some((m) => m.org.id === get().currentId) ? get().currentId : (items.find((m) => m.org.personal)?.org.id ?? null);
    set({ items, currentId });
  },
  choose(id) {
    try {
      if (id) localStorage.setItem(KEY, id);
      else localStorage.removeItem(KEY);
    } catch {
      // Storage blocked: the choice lasts for this page.
    }
    set({ currentId: id });
  },
}));

/** The current membership, if known. */
export const currentMembership = (s: Pick<OrgState, 'items' | 'currentId'>): OrgMembership | undefined => s.items.find((m) => m.org.id === s.currentId);

/** `orgId=<id>&` for list and analytics queries, or '' for the personal organisation. */
export function orgQuery(s: Pick<OrgState, 'items' | 'currentId'> = useOrgs.getState()): string {
  const m = currentMembership(s);
  return m && !m.org.personal ? `orgId=${encodeURIComponent(m.org.id)}&` : '';
}

/** The upload field naming the organisation a recording is filed in. */
export function orgUploadField(): Record<string, string> {
  const id = useOrgs.getState().currentId;
  return id ? { orgId: id } : {};
}
