import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { principalOfToken } from '../auth/requireAuth';
import { createTokenService } from '../auth/tokens';
import type { ApiDeps } from '../deps';
import { createLiveMetrics } from './liveMetrics';
import { CLOSE, LiveSession } from './liveSession';
import type { Registry } from 'prom-client';

export const LIVE_PATH = '/api/live';
// The largest binary frame accepted (250 ms of 48 kHz pcm is 24 kB; MediaRecorder chunks are smaller).
const MAX_FRAME_BYTES = 1 << 20;

/**
 * Serves `GET /api/live` (WebSocket, API.md "Live transcription") on the API's HTTP server: authenticates the
 * upgrade, caps open sessions per user, and hands each socket to a LiveSession.
 */
export function attachLiveEndpoint(server: Server, deps: ApiDeps, registry: Registry): { close(): void } {
  const tokens = createTokenService(deps.config.JWT_SECRET, deps.config.JWT_ACCESS_TTL_SECONDS);
  const metrics = createLiveMetrics(registry);
  const workerAddresses = deps.config.LIVE_WORKER_ADDRESSES.split(',');
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });
  const openByUser = new Map<string, number>();

  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== LIVE_PATH) return; // another upgrade handler's, or none: Node closes it
    void authenticate(req, url).then(
      (userId) => {
        if (!userId) {
          socket.end('HTTP/1.1 401 Unauthorized\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n' +
            JSON.stringify({ error: { code: 'unauthenticated', message: 'A valid access token is required (?access_token= or Authorization).' } }));
          return;
        }
        wss.handleUpgrade(req, socket, head, (ws) => {
          const open = openByUser.get(userId) ?? 0;
          if (open >= deps.config.LIVE_MAX_SESSIONS_PER_USER) {
            metrics.ended.inc({ reason: 'user_cap' });
            ws.send(JSON.stringify({ type: 'error', error: { code: 'too_many_live_sessions', message: `At most ${deps.config.LIVE_MAX_SESSIONS_PER_USER} live sessions may be open at once.` } }));
            ws.close(CLOSE.tooMany, 'too_many_live_sessions');
            return;
          }
          openByUser.set(userId, open + 1);
          metrics.open.inc();
          new LiveSession(ws, userId, { deps, metrics, workerAddresses }, () => {
            metrics.open.dec();
            const left = (openByUser.get(userId) ?? 1) - 1;
            if (left > 0) openByUser.set(userId, left);
            else openByUser.delete(userId);
          });
        });
      },
      (err: unknown) => {
        deps.logger.error({ err }, 'live upgrade failed');
        socket.destroy();
      },
    );
  };

  const authenticate = async (req: IncomingMessage, url: URL): Promise<string | null> => {
    const header = req.headers.authorization;
    const token = (header ? /^Bearer\s+(\S+)$/i.exec(header)?.[1] : undefined) ?? url.searchParams.get('access_token');
    if (!token) return null;
    return (await principalOfToken(tokens, deps.principals, token))?.id ?? null;
  };

  server.on('upgrade', onUpgrade);
  return {
    close() {
      server.off('upgrade', onUpgrade);
      for (const ws of wss.clients) ws.close(CLOSE.fault, 'server shutting down');
      wss.close();
    },
  };
}
