import { loadConfig, migrateLatest } from '@voyce/core';
import { createApp } from './app';
import { buildApiDeps } from './buildDeps';
import { attachLiveEndpoint } from './live/liveEndpoint';
import { answerExpectContinue } from './submissions/expectContinue';
import { createMetrics } from './service/metrics';

/** The API process: validates config, migrates, ensures containers, listens; stops gracefully on SIGTERM/SIGINT. */
async function main(): Promise<void> {
  const config = loadConfig();
  const deps = buildApiDeps(config);
  const applied = await migrateLatest(deps.db);
  if (applied.length) deps.logger.info({ applied }, 'migrations applied');
  await deps.blob.ensureContainers();
  const metrics = createMetrics();
  const server = createApp(deps, metrics).listen(config.PORT, config.HOST, () => {
    console.log(`api listening on http://${config.HOST}:${config.PORT}`);
  });
  server.requestTimeout = 10 * 60 * 1000; // slow mobile uploads of 25 MB must not be cut off
  const live = attachLiveEndpoint(server, deps, metrics.registry);
  answerExpectContinue(server, config);
  const stop = () => {
    live.close();
    server.close(() => {
      deps.close().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    });
    server.closeIdleConnections();
    setTimeout(() => process.exit(0), 10_000).unref();
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
