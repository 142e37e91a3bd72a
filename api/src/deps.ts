import type { Client } from '@temporalio/client';
import type { BlobStore, Config, Db, IdempotencyRepository, Logger, ResultRepository, SubmissionRepository, UserRepository } from '@voyce/core';

/** What the HTTP layer needs; tests build it with real clients pointed at the test stack. */
export interface ApiDeps {
  config: Config;
  logger: Logger;
  db: Db;
  users: UserRepository;
  submissions: SubmissionRepository;
  results: ResultRepository;
  idempotency: IdempotencyRepository;
  blob: BlobStore;
  temporal: Client;
}
