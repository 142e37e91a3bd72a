jest.setTimeout(300_000);

import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from '../../scripts/stack/paths';
import { ensureDatabase, withDatabase, databaseName } from '../../scripts/stack/postgres';
import { dropDatabase } from '../../scripts/stack/testDatabase';
import { ApiClient } from '../support/apiClient';
import { startApi, startApiWithWorker, type RunningApi } from '../support/services';
import { speak } from '../support/speech';

const execFileAsync = promisify(execFile);
const cli = (env: NodeJS.ProcessEnv, ...args: string[]) =>
  execFileAsync(path.join(REPO_ROOT, 'node_modules', '.bin', 'tsx'), [path.join(REPO_ROOT, 'api', 'src', 'cli', 'main.ts'), ...args], { env, cwd: REPO_ROOT });

/** Backup, wipe, restore: every submission, transcript, analysis and audio file comes back intact. */
let api: RunningApi;
const restoredDb = withDatabase(process.env.DATABASE_URL ?? '', `${databaseName(process.env.DATABASE_URL ?? 'x/x')}_restored`);

beforeAll(async () => {
  api = await startApiWithWorker();
}, 180_000);

afterAll(async () => {
  await api?.close();
  await dropDatabase(restoredDb).catch(() => undefined);
});

it('restores into empty stores what it backed up', async () => {
  const c = new ApiClient(api.url);
  await c.registerFresh();
  const clips = [speak('The search results page is blank on Safari.', 'webm'), speak('I would like weekly summary e-mails.', 'flac')];
  const ids: string[] = [];
  for (const clip of clips) ids.push((await c.upload(clip, { filename: 'b.bin' })).body.submission.id);
  const before = await Promise.all(ids.map((id) => c.waitForTerminal(id)));
  expect(before.map((s) => s.status)).toEqual(['completed', 'completed']);

  const dir = mkdtempSync(path.join(os.tmpdir(), 'voyce-backup-'));
  const b = await cli(process.env, 'backup', '--out', dir);
  expect(b.stdout).toMatch(/backed up the database and \d+ blob\(s\)/);

  // "Wipe": an empty database and empty containers, as after losing the originals.
  await ensureDatabase(restoredDb);
  const target = { ...process.env, DATABASE_URL: restoredDb, BLOB_AUDIO_CONTAINER: 'audio-restored', BLOB_STAGING_CONTAINER: 'staging-restored' };
  const r = await cli(target, 'restore', '--from', dir);
  expect(r.stdout).toMatch(/restored the database and \d+ blob\(s\) in [\d.]+ s/);
  console.log(`backup: ${b.stdout.trim()}\nrestore: ${r.stdout.trim()}`);

  // Restoring twice into the same stores is refused: it would mix two histories.
  await expect(cli(target, 'restore', '--from', dir)).rejects.toMatchObject({ stderr: expect.stringContaining('not empty') });

  const restored = await startApi({ DATABASE_URL: restoredDb, BLOB_AUDIO_CONTAINER: 'audio-restored', BLOB_STAGING_CONTAINER: 'staging-restored' });
  try {
    const rc = new ApiClient(restored.url);
    rc.token = c.token; // the same users, the same signing key
    for (const [i, id] of ids.entries()) {
      const sub = (await rc.json('GET', `/api/submissions/${id}`)).body.submission;
      expect(sub.status).toBe('completed');
      expect(sub.transcription.text).toBe(before[i].transcription.text);
      expect(sub.analysis).toEqual(before[i].analysis);
      const redirect = await fetch(`${restored.url}/api/submissions/${id}/audio`, { headers: { authorization: `Bearer ${c.token}` }, redirect: 'manual' });
      const bytes = Buffer.from(await (await fetch(redirect.headers.get('location') ?? '')).arrayBuffer());
      expect(bytes.equals(clips[i]!)).toBe(true);
    }
  } finally {
    await restored.close();
  }
});
