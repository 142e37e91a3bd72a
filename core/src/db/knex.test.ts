import { createDb, sslOptions } from './knex';

describe('PostgreSQL TLS', () => {
  it('maps DATABASE_SSL modes to node-postgres options', () => {
    expect(sslOptions('disable')).toBe(false);
    expect(sslOptions('require')).toEqual({ rejectUnauthorized: false });
    expect(sslOptions('verify-full')).toEqual({ rejectUnauthorized: true });
  });

  it('passes the TLS choice to the connection', async () => {
    const db = createDb('postgres://u@db.example:5432/x', 1, 'verify-full');
    expect((db.client as { config: { connection: { ssl: unknown } } }).config.connection.ssl).toEqual({ rejectUnauthorized: true });
    await db.destroy();
  });
});
