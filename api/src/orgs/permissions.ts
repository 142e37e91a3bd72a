import { AbilityBuilder, createMongoAbility, subject, type ForcedSubject, type MongoAbility } from '@casl/ability';
import { forbidden, notFound } from '@voyce/core';
import type { Principal } from '../auth/requireAuth';

/**
 * The one place that says who may do what (API.md "Organisations"). Routes ask this module; none repeats a
 * role test. Row-level security in PostgreSQL (migration 015) is the isolation under it: whatever this
 * module allows, a query still sees only the organisations the request's scope names.
 */
// `correct`: label a submission's analysis by hand (PUT /api/submissions/:id/labels), beside the model's.
// `train`: start an organisation model's training (POST /api/orgs/:id/models).
export type Action = 'read' | 'create' | 'update' | 'delete' | 'invite' | 'leave' | 'correct' | 'train';

export type SubjectMap = {
  Organisation: { id: string };
  // userId absent: the organisation's memberships as a whole (the members list).
  Membership: { orgId: string; userId?: string };
  Submission: { orgId: string; userId: string };
  Analytics: { orgId: string; userId?: string };
  // The organisation's models: their training runs and which one is active.
  OrgModel: { orgId: string };
};
type SubjectName = keyof SubjectMap;
type Subjects = { [S in SubjectName]: S | (ForcedSubject<S> & SubjectMap[S]) }[SubjectName];
export type AppAbility = MongoAbility<[Action, Subjects]>;

/** What a principal may do, from their platform role and their memberships. */
export function abilityFor(p: Principal): AppAbility {
  const { can, build } = new AbilityBuilder<AppAbility>(createMongoAbility);
  for (const { orgId, role } of p.memberships) {
    can('read', 'Organisation', { id: orgId });
    can('create', 'Submission', { orgId, userId: p.id });
    can(['read', 'update', 'delete', 'correct'], 'Submission', { orgId, userId: p.id });
    can('read', 'Analytics', { orgId, userId: p.id }); // a member's analytics cover their own submissions only
    can('leave', 'Membership', { orgId, userId: p.id });
    if (role === 'analyst' || role === 'owner') {
      can(['read', 'correct'], 'Submission', { orgId });
      can('read', 'Membership', { orgId });
      can('read', 'Analytics', { orgId });
      can('read', 'OrgModel', { orgId });
    }
    if (role === 'owner') {
      can('update', 'Organisation', { id: orgId });
      can('invite', 'Organisation', { id: orgId });
      can(['update', 'delete'], 'Membership', { orgId });
      can('train', 'OrgModel', { orgId });
    }
  }
  // Platform roles run the platform: analysts read everything, admins also change it.
  if (p.role === 'analyst' || p.role === 'admin') can('read', ['Submission', 'Analytics']);
  // Corrections are an organisation's own judgement: platform analysts read them but make none.
  if (p.role === 'admin') can(['update', 'delete', 'correct'], 'Submission');
  return build();
}

export const can = <S extends SubjectName>(ability: AppAbility, action: Action, name: S, fields: SubjectMap[S]): boolean =>
  ability.can(action, subject(name, { ...fields }) as unknown as Exclude<Subjects, string>);

/**
 * Throws unless allowed: 404 when the caller may not even see the organisation (another organisation's
 * resources do not exist for them), 403 when they see it but their role does not allow this.
 */
export function authorize<S extends SubjectName>(ability: AppAbility, action: Action, name: S, fields: SubjectMap[S], orgId: string, what = 'The organisation'): void {
  if (can(ability, action, name, fields)) return;
  if (!can(ability, 'read', 'Organisation', { id: orgId })) throw notFound(what);
  throw forbidden();
}

/**
 * Which rows of a subject the principal may `action`, as a filter for a query: `all` (no condition) or a list
 * of equality conditions, any of which admits a row. Read from the ability's rules, so lists and single reads
 * cannot disagree.
 */
export type RowFilter = { all: true } | { all: false; anyOf: Partial<SubjectMap['Submission']>[] };

export function rowFilter(ability: AppAbility, action: Action, name: 'Submission' | 'Analytics'): RowFilter {
  const anyOf: Partial<SubjectMap['Submission']>[] = [];
  for (const rule of ability.rulesFor(action, name)) {
    if (rule.inverted) continue; // this module grants only; a `cannot` would need a NOT branch here
    if (!rule.conditions) return { all: true };
    anyOf.push(rule.conditions as Partial<SubjectMap['Submission']>);
  }
  return { all: false, anyOf };
}

const abilities = new WeakMap<Principal, AppAbility>();

/** The ability of a request's principal, built once per request. */
export function abilityOfPrincipal(p: Principal): AppAbility {
  let ability = abilities.get(p);
  if (!ability) abilities.set(p, (ability = abilityFor(p)));
  return ability;
}

/**
 * How much of one organisation's submissions (or analytics) the principal reads: `all`, only their `own`, or
 * nothing (`none`: not theirs to see, a 404).
 */
export function shareOf(ability: AppAbility, orgId: string, userId: string, name: 'Submission' | 'Analytics' = 'Submission'): 'all' | 'own' | 'none' {
  const filter = rowFilter(ability, 'read', name);
  if (filter.all || filter.anyOf.some((c) => c.orgId === orgId && c.userId === undefined)) return 'all';
  return filter.anyOf.some((c) => c.orgId === orgId && c.userId === userId) ? 'own' : 'none';
}
