import type { Client } from '@temporalio/client';
import type { Redis } from 'ioredis';
import type {
  AuditRepository,
  BlobStore,
  Config,
  Db,
  IdempotencyRepository,
  LabelRepository,
  LoginUnlockRepository,
  Logger,
  Mailer,
  OauthCodeRepository,
  OauthIdentityRepository,
  OrganisationRepository,
  OrgModelRepository,
  PasswordResetRepository,
  RefreshTokenRepository,
  ResultRepository,
  SubmissionEventHub,
  SubmissionRepository,
  UserRepository,
} from '@voyce/core';
import type { LoginThrottle } from './auth/loginThrottle';
import type { PrincipalLookup } from './auth/principalLookup';

/** What the HTTP layer needs; tests build it with real clients pointed at the test stack. */
export interface ApiDeps {
  config: Config;
  logger: Logger;
  /** The migration runner's (table owner's) connection: migrations, /ready, tests. Bypasses row-level security. */
  db: Db;
  /**
   * The API's own connection (DATABASE_APP_ROLE, not an owner): every repository below uses it, under row-level
   * security scoped to the request being served (orgs/requestScope.ts).
   */
  appDb: Db;
  /** Cross-organisation reads and writes on the owner's connection, for the operator CLI and tests; never for a request. */
  crossOrg: { submissions: SubmissionRepository; results: ResultRepository };
  users: UserRepository;
  /** Organisations, memberships and invitations. */
  orgs: OrganisationRepository;
  /** Organisation models: training runs and the active one (under the request's row-level security). */
  orgModels: OrgModelRepository;
  /** Who a token's account is, for `requireAuth`: cached, dropped on every change to the account. */
  principals: PrincipalLookup;
  submissions: SubmissionRepository;
  results: ResultRepository;
  /** People's corrections of analyses (`submission_labels`). */
  labels: LabelRepository;
  idempotency: IdempotencyRepository;
  refreshTokens: RefreshTokenRepository;
  passwordResets: PasswordResetRepository;
  /** Sign-in throttling (counters in PostgreSQL, shared by every replica). */
  loginThrottle: LoginThrottle;
  /** Single-use tokens of the unlock e-mail sent when an account's sign-in ceiling is reached. */
  loginUnlocks: LoginUnlockRepository;
  audit: AuditRepository;
  oauthIdentities: OauthIdentityRepository;
  /** One-time codes that finish native apps' OpenID sign-ins. */
  oauthCodes: OauthCodeRepository;
  mailer: Mailer;
  blob: BlobStore;
  temporal: Client;
  /** Stage changes of submissions, from PostgreSQL LISTEN/NOTIFY, for Server-Sent Events. */
  events: SubmissionEventHub;
  /** Shared by every API replica (rate-limit counters, analytics cache); null when nothing uses it. */
  redis: Redis | null;
}
