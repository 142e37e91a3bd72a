import { databaseName, isLocalDefaultServer, redact, withDatabase } from './postgres';

describe('postgres URL helpers', () => {
  it('swaps the database and keeps the rest', () => {
    expect(withDatabase('postgres://u:p@db.example:6543/voyce?sslmode=require', 'postgres')).toBe(
      'postgres://u:p@db.example:6543/postgres?sslmode=require',
    );
    expect(databaseName('postgres://postgres@127.0.0.1:5432/voyce_test')).toBe('voyce_test');
    expect(() => databaseName('postgres://postgres@127.0.0.1:5432')).toThrow(/no database name/);
  });

  it('only treats the machine default server as ours to start', () => {
    expect(isLocalDefaultServer('postgres://postgres@127.0.0.1:5432/voyce')).toBe(true);
    expect(isLocalDefaultServer('postgres://postgres@localhost/voyce')).toBe(true);
    expect(isLocalDefaultServer('postgres://postgres@127.0.0.1:5433/voyce')).toBe(false);
    expect(isLocalDefaultServer('postgres://postgres@db.internal:5432/voyce')).toBe(false);
  });

  it('hides passwords in messages', () => {
    expect(redact('postgres://u:secret@h:5432/d')).toBe('postgres://u:***@h:5432/d');
  });
});
