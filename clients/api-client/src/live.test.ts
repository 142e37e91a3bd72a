import type { AddressInfo } from 'node:net';
import WebSocket, { WebSocketServer } from 'ws';
import { ApiClient } from './client';
import { LiveError, LiveSession, type WebSocketLike } from './live';
import type { TokenStore } from './tokenStore';

// A JWT-shaped token that is good for an hour (the client only reads its expiry).
const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
const TOKEN = `${b64({ alg: 'HS256' })}.${b64({ exp: Math.floor(Date.now() / 1000) + 3600 })}.sig`;
const store: TokenStore = { load: () => ({ accessToken: TOKEN, refreshToken: 'r' }), save: () => undefined, clear: () => undefined };

/** A small scripted /api/live server on a real socket: `script` answers each client frame. */
async function server(script: (ws: WebSocket, frame: WebSocket.RawData, binary: boolean, url: string) => void) {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await new Promise((r) => wss.once('listening', r));
  wss.on('connection', (ws, req) => ws.on('message', (data, binary) => script(ws, data, binary, req.url ?? '')));
  const client = new ApiClient({ baseUrl: `http://127.0.0.1:${(wss.address() as AddressInfo).port}`, store });
  return { wss, client, close: () => new Promise((r) => wss.close(r)) };
}
const createWebSocket = (url: string) => new WebSocket(url) as unknown as WebSocketLike;

describe('LiveSession', () => {
  it('sends start with the token, forwards audio, reports finals and the tail, and resolves stop with the submission', async () => {
    const got: { start?: any; bytes: number; url: string } = { bytes: 0, url: '' };
    const s = await server((ws, data, binary, url) => {
      got.url = url;
      if (binary) {
        got.bytes += (data as Buffer).length;
        ws.send(JSON.stringify({ type: 'final', text: 'I want', words: [] }));
        ws.send(JSON.stringify({ type: 'partial', text: 'to report', words: [] }));
        return;
      }
      const msg = JSON.parse(String(data));
      if (msg.type === 'start') {
        got.start = msg;
        ws.send(JSON.stringify({ type: 'ready', sessionId: 's' }));
      } else if (msg.type === 'stop') {
        ws.send(JSON.stringify({ type: 'submission', submission: { id: 'sub1', status: 'pending' } }));
        ws.close(1000);
      }
    });
    const partials: string[] = [];
    const live = await LiveSession.open(s.client, { encoding: 'webm_opus', title: 'T' }, { createWebSocket, onPartial: (t) => partials.push(t) });
    await live.send(new Uint8Array([1, 2, 3, 4]));
    await live.send(new Blob([new Uint8Array([5, 6])]));
    await new Promise((r) => setTimeout(r, 100));
    expect(live.settled).toBe('I want I want');
    expect(partials).toContain('to report');
    await expect(live.stop()).resolves.toEqual({ id: 'sub1', status: 'pending' });
    expect(got).toMatchObject({ start: { type: 'start', encoding: 'webm_opus', sampleRate: 16000, title: 'T' }, bytes: 6 });
    expect(got.url).toBe(`/api/live?access_token=${TOKEN}`);
    await s.close();
  });

  it('rejects open with the server error when the session is refused (4429)', async () => {
    const s = await server((ws) => {
      ws.send(JSON.stringify({ type: 'error', error: { code: 'too_many_live_sessions', message: 'At most 2' } }));
      ws.close(4429);
    });
    await expect(LiveSession.open(s.client, { encoding: 'pcm_s16le' }, { createWebSocket })).rejects.toMatchObject({ code: 'too_many_live_sessions' });
    await s.close();
  });

  it('rejects open when nothing listens, and stop when the socket drops mid-session', async () => {
    const s = await server((ws, data, binary) => {
      if (!binary && JSON.parse(String(data)).type === 'start') ws.send(JSON.stringify({ type: 'ready', sessionId: 's' }));
      else ws.terminate();
    });
    const failures: LiveError[] = [];
    const live = await LiveSession.open(s.client, { encoding: 'pcm_s16le' }, { createWebSocket, onFailure: (e) => failures.push(e) });
    await expect(live.stop()).rejects.toBeInstanceOf(LiveError);
    expect(failures).toHaveLength(1);
    expect(live.isOpen).toBe(false);
    await s.close();
    const nowhere = new ApiClient({ baseUrl: 'http://127.0.0.1:1', store });
    await expect(LiveSession.open(nowhere, { encoding: 'pcm_s16le' }, { createWebSocket })).rejects.toMatchObject({ code: 'live_unreachable' });
  });
});
