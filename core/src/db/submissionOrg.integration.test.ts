import { createDb } from './knex';
import { migrateLatest, migrateTo } from './migrate';
import { dropDatabase, perRunDatabaseUrl } from '../../../scripts/stack/testDatabase';
import { ensureDatabase } from '../../../scripts/stack/postgres';

const url = perRunDatabaseUrl(process.env.DATABASE_URL as string) + '_orgs';
const db = createDb(url, 2);

beforeAll(async () => {
  await ensureDatabase(url);
  await migrateTo(db, '012_lang_languages');
});
afterAll(async () => {
  await db.destroy();
  await dropDatabase(url);
});

async function insertUser(username: string): Promise<string> {
  const [row] = await db('users').insert({ email: `${username}@example.com`, username, password_hash: 'x' }).returning('id');
  return (row as { id: string }).id;
}

async function insertSubmission(userId: string, extra: Record<string, unknown> = {}): Promise<string> {
  const id = crypto.randomUUID();
  await db('voice_submissions').insert({ id, user_id: userId, workflow_id: `submission-${id}`, status: 'completed', ...extra });
  return id;
}

it('gives every existing user a personal organisation and moves their submissions and results into it', async () => {
  const ann = await insertUser('ann');
  const bob = await insertUser('bob');
  const annSub = await insertSubmission(ann);
  const bobSub = await insertSubmission(bob);
  await db('transcriptions').insert({ submission_id: annSub, text: 'hello', language: 'en', confidence: 0.9, words: '[]', model: 'm', model_version: 'v' });
  await db('submission_events').insert({ submission_id: bobSub, status: 'pending' });

  await migrateLatest(db);

  const orgs = await db('organisations').select('id', 'name', 'personal_user_id');
  const annOrg = orgs.find((o: { personal_user_id: string }) => o.personal_user_id === ann);
  const bobOrg = orgs.find((o: { personal_user_id: string }) => o.personal_user_id === bob);
  expect(annOrg).toMatchObject({ name: 'ann' });
  expect(bobOrg).toMatchObject({ name: 'bob' });
  expect(await db('org_memberships').where({ user_id: ann }).select('org_id', 'role')).toEqual([{ org_id: annOrg.id, role: 'owner' }]);
  expect((await db('voice_submissions').where({ id: annSub }).first()).org_id).toBe(annOrg.id);
  expect((await db('voice_submissions').where({ id: bobSub }).first()).org_id).toBe(bobOrg.id);
  expect((await db('transcriptions').where({ submission_id: annSub }).first()).org_id).toBe(annOrg.id);
  expect((await db('submission_events').where({ submission_id: bobSub }).first()).org_id).toBe(bobOrg.id);
});

it('makes the personal organisation with a new user and files an insert without org_id there', async () => {
  const cat = await insertUser('cat');
  const org = await db('organisations').where({ personal_user_id: cat }).first();
  expect(org).toMatchObject({ name: 'cat' });
  expect(await db('org_memberships').where({ user_id: cat, org_id: org.id }).first()).toMatchObject({ role: 'owner' });
  const sub = await insertSubmission(cat);
  await db('analyses').insert({ submission_id: sub, sentiment: 'neutral', sentiment_score: 0, sentiment_confidence: 1, model_version: 'v' });
  expect((await db('voice_submissions').where({ id: sub }).first()).org_id).toBe(org.id);
  expect((await db('analyses').where({ submission_id: sub }).first()).org_id).toBe(org.id);
});

it('keeps an organisation named on insert and refuses a submission without one when the user has none', async () => {
  const dan = await insertUser('dan');
  const [shared] = await db('organisations').insert({ name: 'Shared' }).returning('id');
  const sub = await insertSubmission(dan, { org_id: (shared as { id: string }).id });
  expect((await db('voice_submissions').where({ id: sub }).first()).org_id).toBe((shared as { id: string }).id);
  await db('organisations').where({ personal_user_id: dan }).delete();
  await expect(insertSubmission(dan)).rejects.toThrow(/org_id/);
});
