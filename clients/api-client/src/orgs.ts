/**
 * The organisation an upload goes into, as the extension and the mobile app offer it: the caller's organisations
 * (`GET /api/orgs`) in picker order, named as the web app names them, and the remembered choice checked against
 * them (an organisation the person has left falls back to the personal one, and the app says so).
 */
export type OrgRole = 'member' | 'analyst' | 'owner';

export interface Org {
  id: string;
  name: string;
  personal: boolean;
  createdAt?: string;
}

export interface OrgMembership {
  org: Org;
  role: OrgRole;
}

/** What an app remembers of the choice: the id, and the name to say which one is gone. */
export interface RememberedOrg {
  id: string;
  name: string;
}

/** The outcome of checking a remembered choice against the caller's organisations. */
export interface OrgChoice {
  /** The organisation uploads go into; null only when the list is empty (the API then picks the personal one). */
  org: Org | null;
  /** Set when the remembered organisation is no longer one of the caller's: its name. */
  lost?: string;
}

/** "Ann (personal)" for the personal organisation, the name otherwise (as the web app's switcher names them). */
export function orgLabel(org: Pick<Org, 'name' | 'personal'>): string {
  return org.personal ? `${org.name} (personal)` : org.name;
}

/** The picker's order: the personal organisation first, then the others by name. */
export function orderedOrgs(items: readonly OrgMembership[]): OrgMembership[] {
  return [...items].sort((a, b) => Number(b.org.personal) - Number(a.org.personal) || a.org.name.localeCompare(b.org.name));
}

/** A picker is shown only to a person in more than one organisation. */
export const needsOrgPicker = (items: readonly OrgMembership[]): boolean => items.length > 1;

/** The remembered organisation if the caller still belongs to it, else the personal one (saying which was lost). */
export function resolveOrgChoice(items: readonly OrgMembership[], remembered: RememberedOrg | null): OrgChoice {
  const personal = items.find((m) => m.org.personal)?.org ?? orderedOrgs(items)[0]?.org ?? null;
  if (!remembered) return { org: personal };
  const still = items.find((m) => m.org.id === remembered.id)?.org;
  return still ? { org: still } : { org: personal, lost: remembered.name };
}

/** The sentence an app shows when a remembered organisation fell back to the personal one. */
export function lostOrgMessage(lost: string, now: Pick<Org, 'name' | 'personal'> | null): string {
  return `You are no longer in ${lost}: new recordings go to ${now ? orgLabel(now) : 'your personal organisation'}.`;
}

/** Reads a remembered choice from storage (JSON), ignoring anything malformed. */
export function parseRememberedOrg(raw: unknown): RememberedOrg | null {
  let value = raw;
  if (typeof raw === 'string') {
    try {
      value = JSON.parse(raw);
    } catch {
      return null;
    }
  }
  if (!value || typeof value !== 'object') return null;
  const { id, name } = value as Record<string, unknown>;
  return typeof id === 'string' && id && typeof name === 'string' ? { id, name } : null;
}
