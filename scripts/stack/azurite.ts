/** Azurite (Azure Blob Storage emulator, npm `azurite`) as a child process. */
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { BinaryNotFoundError } from './errors';
import { LOCAL_HOST, REPO_ROOT } from './paths';
import { startProcess } from './process';
import { wrapService, type RunningService, type ServiceOptions } from './service';
import { findOnPath } from './which';

export interface AzuriteOptions extends ServiceOptions {
  readonly port: number;
}

export interface RunningAzurite extends RunningService {
  readonly blobEndpoint: string;
  /** The value for AZURE_STORAGE_CONNECTION_STRING. */
  readonly connectionString: string;
}

/** Azurite's fixed development account; the key is public and documented by Microsoft. */
export const AZURITE_ACCOUNT = 'devstoreaccount1';
export const AZURITE_ACCOUNT_KEY =
  'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

const READY_TIMEOUT_MS = 30_000;

/** Connection string for an Azurite blob service on 127.0.0.1:port. */
export function azuriteConnectionString(port: number): string {
  return (
    `DefaultEndpointsProtocol=http;AccountName=${AZURITE_ACCOUNT};AccountKey=${AZURITE_ACCOUNT_KEY};` +
    `BlobEndpoint=http://${LOCAL_HOST}:${port}/${AZURITE_ACCOUNT};`
  );
}

export function resolveAzuriteBin(env: NodeJS.ProcessEnv = process.env): string {
  const local = path.join(REPO_ROOT, 'node_modules', '.bin', 'azurite-blob');
  if (fs.existsSync(local)) return local;
  const onPath = findOnPath('azurite-blob', env);
  if (onPath) return onPath;
  throw new BinaryNotFoundError('azurite', [local, 'azurite-blob on PATH'], 'Run `npm install` (azurite is a devDependency).');
}

export async function startAzurite(options: AzuriteOptions): Promise<RunningAzurite> {
  const location = path.join(options.dataDir, 'azurite');
  fs.mkdirSync(location, { recursive: true });
  const child = startProcess({
    name: 'azurite',
    command: resolveAzuriteBin(options.env),
    args: [
      '--blobHost', LOCAL_HOST,
      '--blobPort', String(options.port),
      '--location', location,
      '--silent',
      '--skipApiVersionCheck',
      '--loose',
      // No internet here, and a dev tool should not phone home anyway.
      '--disableTelemetry',
    ],
    env: options.env ?? process.env,
    quiet: options.quiet,
    logDir: path.join(options.dataDir, 'logs'),
    stopGraceMs: 5_000,
  });
  const service = wrapService('azurite', child);
  try {
    await child.waitUntilReady(() => httpAnswers(options.port), {
      timeoutMs: options.timeoutMs ?? READY_TIMEOUT_MS,
      what: `HTTP on ${LOCAL_HOST}:${options.port}`,
      intervalMs: 200,
    });
  } catch (error) {
    await service.stop();
    throw error;
  }
  return {
    ...service,
    blobEndpoint: `http://${LOCAL_HOST}:${options.port}/${AZURITE_ACCOUNT}`,
    connectionString: azuriteConnectionString(options.port),
  };
}

/** Any HTTP response at all (Azurite answers 4xx to an unsigned request) means it is serving. */
function httpAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const request = http.get({ host: LOCAL_HOST, port, path: `/${AZURITE_ACCOUNT}?comp=list`, timeout: 1_000 }, (response) => {
      response.resume();
      resolve(true);
    });
    request.on('timeout', () => request.destroy());
    request.on('error', () => resolve(false));
  });
}
