/** Test fixtures shared by the push and receipts tests: a stand-in Expo, an in-memory devices table, a memory logger. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Device, DeviceRepository, Logger, SubmissionRepository, ResultRepository } from '@voyce/core';
import type { ExpoPushMessage } from '../expoPush';
import { createNotifyActivities } from './index';

export type Answer = { status: number; body?: unknown; headers?: Record<string, string> };

/**
 * A stand-in for Expo's push service: answers each request to /push/send with `answer(messages, n)` and each to
 * /push/getReceipts with `receipts(ids, n)`; records every request.
 */
export function receiver(answer: (messages: ExpoPushMessage[], n: number) => Answer, receipts: (ids: string[], n: number) => Answer = () => ({ status: 200, body: { data: {} } })) {
  const requests: { headers: http.IncomingHttpHeaders; messages: ExpoPushMessage[] }[] = [];
  const receiptRequests: { headers: http.IncomingHttpHeaders; ids: string[] }[] = [];
  const server = http.createServer((req, res) => {
    let text = '';
    req.on('data', (c: Buffer) => (text += c.toString()));
    req.on('end', () => {
      let a: Answer;
      if (req.url === '/--/api/v2/push/getReceipts') {
        const { ids } = JSON.parse(text) as { ids: string[] };
        receiptRequests.push({ headers: req.headers, ids });
        a = receipts(ids, receiptRequests.length);
      } else {
        const messages = JSON.parse(text) as ExpoPushMessage[];
        requests.push({ headers: req.headers, messages });
        a = answer(messages, requests.length);
      }
      res.writeHead(a.status, { 'content-type': 'application/json', ...a.headers }).end(a.body === undefined ? '' : JSON.stringify(a.body));
    });
  });
  return {
    requests,
    receiptRequests,
    async start() {
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      return `http://127.0.0.1:${(server.address() as AddressInfo).port}/--/api/v2/push/send`;
    },
    close: () => new Promise((r) => server.close(r)),
  };
}

export const ok = (messages: ExpoPushMessage[]) => ({ status: 200, body: { data: messages.map((_, i) => ({ status: 'ok', id: `r-${i}` })) } });

export const device = (n: number, userId = 'u1'): Device => ({
  id: `d-${n}`,
  userId,
  pushToken: `ExponentPushToken[tok-${n}]`,
  platform: 'android',
  appVersion: '1.0.0',
  createdAt: new Date(0),
  updatedAt: new Date(0),
});

/** An in-memory devices table behind the repository's interface. */
export function fakeDevices(list: Device[]) {
  const rows = [...list];
  const repo = {
    listForUser: async (userId: string) => rows.filter((d) => d.userId === userId),
    deleteByTokens: async (tokens: string[]) => {
      const before = rows.length;
      for (let i = rows.length - 1; i >= 0; i--) if (tokens.includes((rows[i] as Device).pushToken)) rows.splice(i, 1);
      return before - rows.length;
    },
    deleteByIds: async (ids: string[]) => {
      const before = rows.length;
      for (let i = rows.length - 1; i >= 0; i--) if (ids.includes((rows[i] as Device).id)) rows.splice(i, 1);
      return before - rows.length;
    },
  } as unknown as DeviceRepository;
  return { repo, rows };
}

/** A logger that keeps what it was told. */
export function memoryLogger() {
  const lines: { level: string; fields: unknown; msg: string }[] = [];
  const at = (level: string) => (fields: unknown, msg: string) => void lines.push({ level, fields, msg });
  return { lines, logger: { info: at('info'), warn: at('warn'), error: at('error'), debug: at('debug') } as unknown as Logger };
}

export function activities(url: string, devices: DeviceRepository, transcript = 'The checkout page crashes every single time I press the pay button on my phone', logger?: Logger) {
  const sub = { id: 's1', userId: 'u1', title: 'Checkout crash', progress: { stage: 'completed', attempts: 1 } };
  return createNotifyActivities({
    submissions: { findById: async (id: string) => (id === 's1' ? sub : null) } as unknown as SubmissionRepository,
    results: { findTranscription: async () => ({ text: transcript }) } as unknown as ResultRepository,
    notifier: { push: { devices, url, accessToken: 'expo-secret', timeoutMs: 2000, receiptDelayMs: 3000 } } as never,
    ...(logger ? { logger } : {}),
  });
}
