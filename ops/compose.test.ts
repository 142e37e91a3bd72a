import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse, type Tags } from 'yaml';

const ROOT = path.resolve(__dirname, '..');

interface Service {
  image?: string;
  restart?: string;
  build?: string | { context: string; dockerfile?: string };
  healthcheck?: { test: unknown };
  depends_on?: Record<string, { condition: string }> | string[];
  volumes?: string[];
  environment?: Record<string, string>;
}

/** docker-compose.yml cannot be run here (no Docker engine); its structure is checked instead. */
describe('docker-compose.yml', () => {
  const compose = parse(readFileSync(path.join(ROOT, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
    services: Record<string, Service>;
    volumes?: Record<string, unknown>;
  };
  const services = Object.entries(compose.services);

  it('runs every part of the stack', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['api', 'azurite', 'grafana', 'jobs-runtime', 'postgres', 'prometheus', 'redis', 'temporal', 'web', 'worker'].sort());
  });

  it.each(services)('%s comes from a pinned public image or a Dockerfile in the repo', (_name, svc) => {
    if (svc.build) {
      const context = typeof svc.build === 'string' ? svc.build : svc.build.context;
      const dockerfile = typeof svc.build === 'string' ? 'Dockerfile' : (svc.build.dockerfile ?? 'Dockerfile');
      expect(existsSync(path.join(ROOT, context, dockerfile))).toBe(true);
    } else {
      expect(svc.image).toMatch(/^[a-z0-9./-]+:v?[0-9][\w.-]*$/); // a version tag, never :latest
    }
  });

  it.each(services)('%s restarts by itself unless stopped', (_name, svc) => {
    expect(svc.restart).toBe('unless-stopped');
  });

  it.each(services)('%s has a health check, and waits only for services that exist and are healthy', (_name, svc) => {
    expect(svc.healthcheck?.test).toBeTruthy();
    const deps = Array.isArray(svc.depends_on) ? svc.depends_on.map((d) => [d, { condition: 'service_started' }] as const) : Object.entries(svc.depends_on ?? {});
    for (const [dep, cond] of deps) {
      expect(compose.services[dep]).toBeDefined();
      expect(cond.condition).toBe('service_healthy');
    }
  });

  it.each(services)('%s mounts files that exist and volumes that are declared', (_name, svc) => {
    for (const v of svc.volumes ?? []) {
      const source = v.split(':')[0] ?? '';
      if (source.startsWith('.')) expect(existsSync(path.join(ROOT, source))).toBe(true);
      else expect(compose.volumes).toHaveProperty(source);
    }
  });

  it('points the application at the compose services, not at localhost', () => {
    for (const name of ['api', 'worker']) {
      const env = compose.services[name]?.environment ?? {};
      expect(env.DATABASE_URL).toContain('@postgres:5432');
      expect(env.TEMPORAL_ADDRESS).toBe('temporal:7233');
      expect(env.DATABRICKS_HOST).toBe('http://jobs-runtime:8765');
      expect(env.AZURE_STORAGE_CONNECTION_STRING).toContain('BlobEndpoint=http://azurite:10000/');
    }
  });
});

/** Compose's merge tags (`!override`, `!reset`) of override files, kept as plain values for these checks. */
const COMPOSE_TAGS: Tags = [
  { tag: '!override', collection: 'seq', identify: () => false, resolve: (value: unknown) => value },
  { tag: '!override', collection: 'map', identify: () => false, resolve: (value: unknown) => value },
  { tag: '!reset', collection: 'seq', identify: () => false, resolve: (value: unknown) => value },
] as unknown as Tags;

describe('docker-compose.temporal-postgres.yml', () => {
  const base = parse(readFileSync(path.join(ROOT, 'docker-compose.yml'), 'utf8'), { merge: true }) as { services: Record<string, Service> };
  const override = parse(readFileSync(path.join(ROOT, 'docker-compose.temporal-postgres.yml'), 'utf8'), { customTags: COMPOSE_TAGS }) as {
    services: Record<string, Service & { command?: unknown; ports?: unknown }>;
  };

  it('runs Temporal from the official image on the compose PostgreSQL, after it is healthy', () => {
    const temporal = override.services.temporal;
    expect(temporal?.image).toMatch(/^temporalio\/(auto-setup|server):1\.\d+\.\d+$/);
    expect(temporal?.environment).toMatchObject({ DB: 'postgres12', POSTGRES_SEEDS: 'postgres' });
    expect(base.services.postgres).toBeDefined();
    expect(temporal?.depends_on).toEqual({ postgres: { condition: 'service_healthy' } });
    expect(temporal?.command).toEqual([]); // the image's own entrypoint, not start-dev
  });

  it('gives that server the dynamic config start-dev gets by flag (eager activities)', () => {
    const temporal = override.services.temporal as { environment?: Record<string, string>; volumes?: string[] };
    const mount = temporal.volumes?.find((v) => v.includes('dynamicconfig'));
    expect(mount).toBeDefined();
    const [host, inContainer] = (mount ?? '').split(':');
    expect(temporal.environment?.DYNAMIC_CONFIG_FILE_PATH).toBe(inContainer);
    const config = parse(readFileSync(path.join(ROOT, host ?? ''), 'utf8')) as Record<string, { value: unknown }[]>;
    expect(config['system.enableActivityEagerExecution']).toEqual([{ value: true }]);
    expect((base.services.temporal as { command?: string } | undefined)?.command).toContain('system.enableActivityEagerExecution=true');
  });

  it.each(Object.entries(override.services))('%s restarts by itself, has a health check, and a pinned image', (_name, svc) => {
    expect(svc.restart).toBe('unless-stopped');
    expect(svc.healthcheck?.test).toBeTruthy();
    expect(svc.image).toMatch(/^[a-z0-9./-]+:v?[0-9][\w.-]*$/);
  });

  it('keeps the UI beside it, on the port the docs name', () => {
    expect(override.services['temporal-ui']?.ports).toEqual(['8233:8080']);
    expect(override.services['temporal-ui']?.environment?.TEMPORAL_ADDRESS).toBe('temporal:7233');
  });
});
