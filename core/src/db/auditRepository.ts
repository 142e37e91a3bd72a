import type { Db } from './knex';

/** Stable names of audited events; dashboards and alerts key on them. */
export type AuditAction =
  | 'auth.register'
  | 'auth.login'
  | 'auth.login_failed'
  | 'auth.locked'
  | 'auth.login_ceiling'
  | 'auth.unlock_mailed'
  | 'auth.unlocked'
  | 'auth.refresh_reuse'
  | 'auth.logout'
  | 'auth.password_reset_requested'
  | 'auth.password_reset'
  | 'auth.oauth_login'
  | 'auth.oauth_linked'
  | 'auth.oauth_refused'
  | 'auth.oauth_code_reuse'
  | 'user.created'
  | 'user.role_changed'
  | 'user.disabled'
  | 'user.enabled'
  | 'submission.deleted'
  | 'submission.replayed'
  | 'schedule.paused'
  | 'schedule.unpaused'
  | 'schedule.triggered'
  | 'org.created'
  | 'org.renamed'
  | 'org.invited'
  | 'org.joined'
  | 'org.role_changed'
  | 'org.member_removed'
  | 'org.model_training_requested';

export interface AuditEntry {
  action: AuditAction;
  actorId?: string | null;
  subjectUserId?: string | null;
  ip?: string | null;
  detail?: Record<string, unknown>;
}

export interface AuditRecord extends Required<Omit<AuditEntry, 'detail'>> {
  id: number;
  detail: Record<string, unknown> | null;
  createdAt: Date;
}

interface AuditRow {
  id: number;
  action: AuditAction;
  actor_id: string | null;
  subject_user_id: string | null;
  ip: string | null;
  detail: Record<string, unknown> | null;
  created_at: Date;
}

/** Append-only audit trail of security-relevant events. Never holds secrets (no tokens, no passwords). */
export function createAuditRepository(db: Db) {
  return {
    async record(entry: AuditEntry, trx: Db = db): Promise<void> {
      await trx('audit_log').insert({
        action: entry.action,
        actor_id: entry.actorId ?? null,
        subject_user_id: entry.subjectUserId ?? null,
        ip: entry.ip ?? null,
        detail: entry.detail ? JSON.stringify(entry.detail) : null,
      });
    },
    /** Newest first: the events about one user. */
    async listForUser(userId: string, limit = 100): Promise<AuditRecord[]> {
      return this.list({ subjectUserId: userId, limit });
    },
    /** Newest first, keyset-paginated on id; optionally about one user and/or of one action. */
    async list(opts: { subjectUserId?: string; action?: string; beforeId?: number; limit: number }): Promise<AuditRecord[]> {
      const q = db('audit_log').orderBy('id', 'desc').limit(opts.limit);
      if (opts.subjectUserId) q.where({ subject_user_id: opts.subjectUserId });
      if (opts.action) q.where({ action: opts.action });
      if (opts.beforeId !== undefined) q.where('id', '<', opts.beforeId);
      const rows = (await q) as AuditRow[];
      return rows.map((r) => ({
        id: r.id,
        action: r.action,
        actorId: r.actor_id,
        subjectUserId: r.subject_user_id,
        ip: r.ip,
        detail: r.detail,
        createdAt: r.created_at,
      }));
    },
  };
}

export type AuditRepository = ReturnType<typeof createAuditRepository>;
