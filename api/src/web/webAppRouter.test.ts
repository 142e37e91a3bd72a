import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import express from 'express';
import request from 'supertest';
import { loadConfig } from '@voyce/core';
import { blobOriginOf } from './blobOrigin';
import { createWebAppRouter } from './webAppRouter';

function builtApp(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'voyce-web-dist-'));
  fs.mkdirSync(path.join(dir, 'assets'));
  fs.writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>Voyce</title><div id="root"></div>');
  fs.writeFileSync(path.join(dir, 'assets', 'index-abc123.js'), 'console.log(1)');
  return dir;
}

function appServing(distDir: string) {
  const config = loadConfig({ WEB_DIST_DIR: distDir, AZURE_STORAGE_CONNECTION_STRING: 'AccountName=a;AccountKey=k;BlobEndpoint=http://127.0.0.1:10999/a;' });
  const app = express();
  app.use(createWebAppRouter(config));
  app.use((_req, res) => res.status(404).json({ error: { code: 'route_not_found' } }));
  return app;
}

describe('the web app on the API origin', () => {
  const dist = builtApp();
  const app = appServing(dist);

  it('answers client-side routes with index.html under a policy allowing signed blob media', async () => {
    const res = await request(app).get('/feedback/0b0b0b0b-0000-4000-8000-000000000000').set('accept', 'text/html');
    expect(res.status).toBe(200);
    expect(res.text).toContain('<div id="root">');
    expect(res.headers['content-security-policy']).toContain("media-src 'self' blob: http://127.0.0.1:10999");
    expect(res.headers['content-security-policy']).not.toContain('upgrade-insecure-requests');
  });

  it('serves hashed assets for a year and leaves unknown API paths to the API', async () => {
    const asset = await request(app).get('/assets/index-abc123.js');
    expect(asset.status).toBe(200);
    expect(asset.headers['cache-control']).toContain('immutable');
    expect((await request(app).get('/assets/missing.js').set('accept', 'text/html')).status).toBe(404);
    const api = await request(app).get('/api/nothing-here').set('accept', 'text/html');
    expect(api.status).toBe(404);
    expect(api.body.error.code).toBe('route_not_found');
  });

  it('tells the app the Temporal UI, sign-in providers and audio limits', async () => {
    const res = await request(app).get('/api/config');
    expect(res.body).toEqual({
      temporalUiUrl: 'http://127.0.0.1:8233',
      temporalNamespace: 'default',
      oauthProviders: [],
      limits: { maxUploadBytes: 25 * 1024 * 1024, minAudioMs: 500, maxAudioMs: 600_000 },
    });
  });

  it('serves nothing but /api/config when WEB_DIST_DIR is empty', async () => {
    const config = loadConfig({ WEB_DIST_DIR: '' });
    const bare = express().use(createWebAppRouter(config));
    expect((await request(bare).get('/').set('accept', 'text/html')).status).toBe(404);
    expect((await request(bare).get('/api/config')).status).toBe(200);
  });
});

describe('blobOriginOf', () => {
  it('reads the blob endpoint, the development shortcut, or the account', () => {
    expect(blobOriginOf('BlobEndpoint=https://x.example/devstoreaccount1;AccountName=y')).toBe('https://x.example');
    expect(blobOriginOf('UseDevelopmentStorage=true')).toBe('http://127.0.0.1:10000');
    expect(blobOriginOf('DefaultEndpointsProtocol=https;AccountName=voyce;AccountKey=k;EndpointSuffix=core.windows.net')).toBe('https://voyce.blob.core.windows.net');
    expect(blobOriginOf('nonsense')).toBeNull();
  });
});
