import type { Client } from '@temporalio/client';
import type { Redis } from 'ioredis';
import type {
  AuditRepository,
  BlobStore,
  Config,
  Db,
  IdempotencyRepository,
  Logger,
  Mailer,
  OauthCodeRepository,
  OauthIdentityRepository,
  PasswordResetRepository,
  RefreshTokenRepository,
  ResultRepository,
  SubmissionEventHub,
  SubmissionRepository,
  UserRepository,
} from '@voyce/core';
import type { PrincipalLookup } from './auth/principalLookup';

/** What the HTTP layer needs; tests build it with real clients pointed at the test stack. */
export interface ApiDeps {
  config: Config;
  logger: Logger;
  db: Db;
  users: UserRepository;
  /** Who a token's account is, for `requireAuth`: cached, dropped on every change to the account. */
  principals: PrincipalLookup;
  submissions: SubmissionRepository;
  results: ResultRepository;
  idempotency: IdempotencyRepository;
  refreshTokens: RefreshTokenRepository;
  passwordResets: PasswordResetRepository;
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
