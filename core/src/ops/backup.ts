import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import type { BlobStore } from '../blob/blobStore';
import type { Db } from '../db/knex';

const run = promisify(execFile);

export interface BlobEntry {
  container: 'audio' | 'staging';
  name: string;
  sizeBytes: number;
  sha256: string;
  file: string;
}

export interface BackupManifest {
  version: 1;
  createdAt: string;
  database: { file: string; format: 'pg_dump custom' };
  blobs: BlobEntry[];
}

const sha256File = async (file: string) => {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
};

/**
 * Backs up PostgreSQL (pg_dump: one consistent snapshot) and then every blob the snapshot refers to, with a
 * manifest of sizes and checksums. Blobs are immutable once stored, so copying them after the snapshot still
 * gives a consistent pair: the recovery point is the moment the dump started.
 */
export async function backup(db: Db, databaseUrl: string, blob: BlobStore, dir: string): Promise<BackupManifest> {
  await mkdir(path.join(dir, 'blobs'), { recursive: true });
  const dumpFile = 'database.dump';
  await run('pg_dump', ['--format=custom', '--no-owner', '--file', path.join(dir, dumpFile), databaseUrl], { maxBuffer: 16 * 1024 * 1024 });

  const rows: { audio_blob: string | null; staging_blob: string | null; screenshot_blob: string | null }[] = await db('voice_submissions')
    .select('audio_blob', 'staging_blob', 'screenshot_blob')
    .where((q) => q.whereNotNull('audio_blob').orWhereNotNull('staging_blob').orWhereNotNull('screenshot_blob'));
  const blobs: BlobEntry[] = [];
  for (const r of rows) {
    // Screenshots live in the audio container beside the audio they belong to.
    for (const [container, name] of [['audio', r.audio_blob], ['staging', r.staging_blob], ['audio', r.screenshot_blob]] as const) {
      if (!name || !(await blob.exists(container, name))) continue;
      const file = path.join('blobs', container, name);
      await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
      await blob.downloadToFile(container, name, path.join(dir, file));
      blobs.push({ container, name, file, sizeBytes: (await stat(path.join(dir, file))).size, sha256: await sha256File(path.join(dir, file)) });
    }
  }
  const manifest: BackupManifest = { version: 1, createdAt: new Date().toISOString(), database: { file: dumpFile, format: 'pg_dump custom' }, blobs };
  await writeFile(path.join(dir, 'manifest.json'), JSON.stringify(manifest, null, 2));
  return manifest;
}

/** Thrown when a restore target is not empty: restoring over live data would mix two histories. */
export class RestoreTargetNotEmptyError extends Error {
  override readonly name = 'RestoreTargetNotEmptyError';
}

/** Restores a backup into an empty database and empty containers, verifying every blob's checksum. */
export async function restore(db: Db, databaseUrl: string, blob: BlobStore, dir: string): Promise<{ blobs: number }> {
  const manifest = JSON.parse(await readFile(path.join(dir, 'manifest.json'), 'utf8')) as BackupManifest;
  if (manifest.version !== 1) throw new Error(`unknown backup version ${String(manifest.version)}`);
  const { rows } = await db.raw(`SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = 'public'`);
  if ((rows as { n: number }[])[0]?.n) throw new RestoreTargetNotEmptyError('the target database is not empty; restore into an empty database');
  await blob.ensureContainers();
  for (const b of manifest.blobs) {
    if (await blob.exists(b.container, b.name)) throw new RestoreTargetNotEmptyError(`blob ${b.container}/${b.name} already exists in the target storage`);
  }
  for (const b of manifest.blobs) {
    const file = path.join(dir, b.file);
    if ((await sha256File(file)) !== b.sha256) throw new Error(`backup file ${b.file} is damaged (checksum mismatch)`);
  }
  await run('pg_restore', ['--no-owner', '--exit-on-error', '--dbname', databaseUrl, path.join(dir, manifest.database.file)], { maxBuffer: 16 * 1024 * 1024 });
  for (const b of manifest.blobs) await blob.uploadFile(b.container, b.name, path.join(dir, b.file), { sha256: b.sha256 });
  return { blobs: manifest.blobs.length };
}
