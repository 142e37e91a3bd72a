import { ConfigError, loadConfig } from './config';

describe('loadConfig', () => {
  it('gives local defaults for an empty environment', () => {
    const c = loadConfig({});
    expect(c.TEMPORAL_ADDRESS).toBe('127.0.0.1:7233');
    expect(c.DATABASE_URL).toBe('postgres://postgres@127.0.0.1:5432/voyce');
    expect(c.UPLOAD_MAX_BYTES).toBe(25 * 1024 * 1024);
  });

  it('names every variable that is wrong', () => {
    const attempt = () => loadConfig({ TEMPORAL_ADDRESS: 'no-port', PORT: 'eighty', DATABASE_URL: 'mysql://x' });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(/TEMPORAL_ADDRESS: must be host:port/);
    expect(attempt).toThrow(/PORT:/);
    expect(attempt).toThrow(/DATABASE_URL: must be a postgres:\/\/ URL/);
  });

  it('encrypts the connections to PostgreSQL and Temporal by default in production only', () => {
    const local = loadConfig({});
    expect([local.DATABASE_SSL, local.TEMPORAL_TLS]).toEqual(['disable', false]);
    const prod = loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(40) });
    expect([prod.DATABASE_SSL, prod.TEMPORAL_TLS]).toEqual(['verify-full', true]);
    const chosen = loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(40), DATABASE_SSL: 'require', TEMPORAL_TLS: 'false' });
    expect([chosen.DATABASE_SSL, chosen.TEMPORAL_TLS]).toEqual(['require', false]);
    expect(() => loadConfig({ DATABASE_SSL: 'maybe' })).toThrow(/DATABASE_SSL/);
  });

  it('refuses the development JWT secret in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/JWT_SECRET: must be set to a secret of your own in production/);
    expect(loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(40) }).NODE_ENV).toBe('production');
  });

  it('allows the extension and app OAuth redirects outside production only, unless OAUTH_NATIVE_REDIRECTS says otherwise', () => {
    expect(loadConfig({}).OAUTH_NATIVE_REDIRECTS).toEqual(['https://*.chromiumapp.org/*', 'voyce://*', 'exp://*']);
    expect(loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(40) }).OAUTH_NATIVE_REDIRECTS).toEqual([]);
    expect(loadConfig({ OAUTH_NATIVE_REDIRECTS: 'https://abc.chromiumapp.org/*, voyce://oauth' }).OAUTH_NATIVE_REDIRECTS).toEqual(['https://abc.chromiumapp.org/*', 'voyce://oauth']);
  });

  it('allows the local web and Expo dev servers by CORS outside production only, unless CORS_ORIGINS says otherwise', () => {
    expect(loadConfig({}).CORS_ORIGINS).toEqual(expect.arrayContaining(['http://localhost:5173', 'http://localhost:8081']));
    expect(loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(40) }).CORS_ORIGINS).toEqual([]);
    expect(loadConfig({ CORS_ORIGINS: 'https://app.voyce.example, https://m.voyce.example' }).CORS_ORIGINS).toEqual(['https://app.voyce.example', 'https://m.voyce.example']);
    expect(loadConfig({ CORS_ORIGINS: '' }).CORS_ORIGINS).toEqual([]);
  });

  it('posts pushes to Expo unless EXPO_PUSH_URL names another endpoint', () => {
    expect(loadConfig({}).EXPO_PUSH_URL).toBe('https://exp.host/--/api/v2/push/send');
    expect(loadConfig({ EXPO_PUSH_URL: 'http://127.0.0.1:9/push' }).EXPO_PUSH_URL).toBe('http://127.0.0.1:9/push');
    expect(() => loadConfig({ EXPO_PUSH_URL: 'exp.host' })).toThrow(/EXPO_PUSH_URL/);
  });

  it('fetches push receipts 15 minutes after a push unless EXPO_PUSH_RECEIPT_DELAY_SECONDS says otherwise', () => {
    expect(loadConfig({}).EXPO_PUSH_RECEIPT_DELAY_SECONDS).toBe(900);
    expect(loadConfig({ EXPO_PUSH_RECEIPT_DELAY_SECONDS: '2' }).EXPO_PUSH_RECEIPT_DELAY_SECONDS).toBe(2);
    expect(() => loadConfig({ EXPO_PUSH_RECEIPT_DELAY_SECONDS: '0' })).toThrow(/EXPO_PUSH_RECEIPT_DELAY_SECONDS/);
  });

  it('completes job runs by callback only with a receiver, a secret of 16+ characters and a destination', () => {
    const c = loadConfig({});
    expect([c.DATABRICKS_RUN_COMPLETION, c.RUN_EVENTS_ADDRESS, c.DATABRICKS_FALLBACK_POLL_MS]).toEqual(['callback', '', 10_000]);
    expect(() => loadConfig({ RUN_EVENTS_ADDRESS: '127.0.0.1:8767' })).toThrow(/RUN_EVENTS_SECRET: must be set when RUN_EVENTS_ADDRESS is/);
    expect(() => loadConfig({ RUN_EVENTS_ADDRESS: '127.0.0.1:8767', RUN_EVENTS_SECRET: 'short' })).toThrow(/RUN_EVENTS_SECRET: must be at least 16/);
    expect(() => loadConfig({ RUN_EVENTS_ADDRESS: 'no-port' })).toThrow(/RUN_EVENTS_ADDRESS: must be host:port/);
    expect(() => loadConfig({ DATABRICKS_RUN_COMPLETION: 'webhook' })).toThrow(/DATABRICKS_RUN_COMPLETION/);
  });
});
