import type { Knex } from 'knex';

const TEMPLATES = [
  'the checkout page crashes when I press the pay button',
  'please add a dark mode to the settings page',
  'I love the new search feature it is fast and helpful',
  'the export to spreadsheet option is missing from the report page',
  'loading the dashboard takes more than ten seconds on my phone',
  'thank you for fixing the login problem so quickly',
  'notifications arrive twice on my tablet and it is annoying',
  'how do I change the billing address on my invoice',
];

/**
 * Seeds `count` submissions, each with a transcription and an analysis, spread over `users` users and the
 * last 180 days, in a few set-based INSERT … SELECT statements (seconds, not minutes, for 100,000 rows).
 */
export async function seedSubmissions(db: Knex, count: number, users: number): Promise<{ userIds: string[] }> {
  const userRows = await db.raw(
    `INSERT INTO users (email, username, password_hash, role)
     SELECT 'seed' || g || '@example.test', 'seed' || g, NULL, 'user' FROM generate_series(1, ?) g
     ON CONFLICT DO NOTHING RETURNING id`,
    [users],
  );
  const userIds = (userRows.rows as { id: string }[]).map((r) => r.id);
  await db.raw(
    `CREATE TEMP TABLE seed_users AS SELECT row_number() OVER () - 1 AS n, id FROM users WHERE id = ANY(?::uuid[])`,
    [userIds],
  );
  await db.raw(
    `INSERT INTO voice_submissions (id, user_id, status, title, category, content_type, size_bytes, duration_ms, workflow_id, created_at, updated_at, completed_at)
     SELECT gen_random_uuid(), u.id,
            (ARRAY['completed','completed','completed','completed','completed','completed','completed','completed','failed','rejected'])[1 + (g % 10)],
            'Feedback ' || g, (ARRAY['bug','idea','billing','performance','other'])[1 + (g % 5)], 'audio/webm', 200000 + (g % 1000) * 100, 5000 + (g % 50) * 1000,
            'submission-seed-' || g,
            now() - (g % 180) * interval '1 day' - (g % 86400) * interval '1 second',
            now() - (g % 180) * interval '1 day' - (g % 86400) * interval '1 second',
            now() - (g % 180) * interval '1 day' - (g % 86400) * interval '1 second' + interval '2 seconds'
     FROM generate_series(1, ?) g JOIN seed_users u ON u.n = g % ?`,
    [count, userIds.length],
  );
  await db.raw(
    `INSERT INTO transcriptions (submission_id, text, language, confidence, words, model, model_version)
     SELECT s.id, (?::text[])[1 + (abs(hashtext(s.id::text)) % ?)] || ' ' || s.title, 'en', 0.9, '[]', 'faster-whisper-tiny.en', 'seed'
     FROM voice_submissions s WHERE s.workflow_id LIKE 'submission-seed-%' AND s.status = 'completed'`,
    [TEMPLATES, TEMPLATES.length],
  );
  await db.raw(
    `INSERT INTO analyses (submission_id, sentiment, sentiment_score, sentiment_confidence, intent, intent_confidence, keywords, importance_score, model_version)
     SELECT s.id, (ARRAY['positive','neutral','negative'])[1 + (h % 3)], ((h % 200) - 100) / 100.0, 0.8,
            (ARRAY['bug_report','feature_request','complaint','praise','question','other'])[1 + (h % 6)], 0.7,
            jsonb_build_array((ARRAY['checkout','search','export','dashboard','login','billing'])[1 + (h % 6)], 'app'), (h % 100) / 100.0, 'seed-1'
     FROM (SELECT id, abs(hashtext(id::text)) AS h FROM voice_submissions WHERE workflow_id LIKE 'submission-seed-%' AND status = 'completed') s`,
  );
  await db.raw('ANALYZE voice_submissions, transcriptions, analyses, users');
  return { userIds };
}
