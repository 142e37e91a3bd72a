import fs from 'node:fs';
import path from 'node:path';
import express, { Router, type Request } from 'express';
import type { Config } from '@voyce/core';
import { blobOriginOf, webAppContentSecurityPolicy } from './blobOrigin';

/** `web/dist` of this repository (this file lives in <root>/api/src/web). */
export const DEFAULT_WEB_DIST_DIR = path.resolve(__dirname, '..', '..', '..', 'web', 'dist');

type WebConfig = Pick<
  Config,
  'WEB_DIST_DIR' | 'TEMPORAL_UI_URL' | 'TEMPORAL_NAMESPACE' | 'OAUTH_PROVIDERS' | 'UPLOAD_MAX_BYTES' | 'AUDIO_MIN_MS' | 'AUDIO_MAX_MS' | 'AZURE_STORAGE_CONNECTION_STRING'
>;

/** What the web app needs to know about this deployment (public: no secrets, no per-user data). */
export function publicClientConfig(config: WebConfig) {
  return {
    temporalUiUrl: config.TEMPORAL_UI_URL,
    temporalNamespace: config.TEMPORAL_NAMESPACE,
    oauthProviders: config.OAUTH_PROVIDERS.map((p) => p.name),
    limits: { maxUploadBytes: config.UPLOAD_MAX_BYTES, minAudioMs: config.AUDIO_MIN_MS, maxAudioMs: config.AUDIO_MAX_MS },
  };
}

/** The dist folder to serve: the configured one ('' turns serving off), else `web/dist` when it has been built. */
export function resolveWebDistDir(configured: string | undefined): string | null {
  if (configured === '') return null;
  const dir = configured ? path.resolve(configured) : DEFAULT_WEB_DIST_DIR;
  return fs.existsSync(path.join(dir, 'index.html')) ? dir : null;
}

const wantsHtml = (req: Request) => (req.method === 'GET' || req.method === 'HEAD') && !req.path.startsWith('/api/') && req.accepts(['html', 'json']) === 'html';

/**
 * `GET /api/config` for the web app, and the built web app itself on the API's origin: hashed assets with a
 * year's caching, every other non-API path answered with `index.html` (client-side routes), under a
 * Content-Security-Policy that allows signed blob URLs for audio and screenshots.
 */
export function createWebAppRouter(config: WebConfig): Router {
  const router = Router();
  const clientConfig = publicClientConfig(config);
  router.get('/api/config', (_req, res) => {
    res.setHeader('cache-control', 'public, max-age=60');
    res.json(clientConfig);
  });

  const distDir = resolveWebDistDir(config.WEB_DIST_DIR);
  if (!distDir) return router;
  const blobOrigin = blobOriginOf(config.AZURE_STORAGE_CONNECTION_STRING);
  const indexHtml = path.join(distDir, 'index.html');

  router.use(
    '/assets',
    express.static(path.join(distDir, 'assets'), { index: false, immutable: true, maxAge: '365d', fallthrough: true }),
  );
  router.use(express.static(distDir, { index: false, maxAge: 0 }));
  router.use((req, res, next) => {
    if (!wantsHtml(req) || req.path.startsWith('/assets/')) return next();
    res.setHeader('content-security-policy', webAppContentSecurityPolicy(blobOrigin, req.secure));
    res.setHeader('cache-control', 'no-cache');
    res.sendFile(indexHtml, (err) => {
      if (err) next(err);
    });
  });
  return router;
}
