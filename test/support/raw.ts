import http from 'node:http';
import net from 'node:net';

/**
 * Sends a multipart upload of `size` bytes through node:http, writing in chunks and stopping as soon as the
 * server answers — what a well-behaved client does with an early 413.
 */
export function uploadHuge(baseUrl: string, token: string, size: number, head: Buffer): Promise<{ status: number; body: any; sentBytes: number }> {
  const boundary = 'voyceboundary' + Date.now();
  const pre = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="audio"; filename="big.wav"\r\nContent-Type: audio/wav\r\n\r\n`);
  const post = Buffer.from(`\r\n--${boundary}--\r\n`);
  const url = new URL('/api/submissions/upload', baseUrl);
  return new Promise((resolve, reject) => {
    let sent = 0;
    let answered = false;
    const req = http.request(url, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': `multipart/form-data; boundary=${boundary}`, 'transfer-encoding': 'chunked' },
    });
    req.on('response', (res) => {
      answered = true;
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : null, sentBytes: sent });
        req.destroy();
      });
    });
    req.on('error', (err) => {
      if (!answered) reject(err);
    });
    const chunk = Buffer.alloc(256 * 1024, 0x11);
    req.write(pre);
    req.write(head);
    sent = head.length;
    const pump = () => {
      while (!answered && sent < size) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
      if (!answered) req.end(post);
    };
    pump();
  });
}

export interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  body: any;
  /** Bytes of body the client managed to write before it started reading. */
  sentBytes: number;
}

/**
 * A client like Python's urllib or many mobile stacks: it writes the whole request (headers and every body byte)
 * on a raw socket and only then reads the answer. `chunked` frames the body in chunks instead of announcing a
 * Content-Length. A server that closes under the unread body makes this client see a reset, not the answer.
 */
export function writeAllThenRead(baseUrl: string, token: string, size: number, head: Buffer, opts: { chunked?: boolean; path?: string; field?: string } = {}): Promise<RawAnswer> {
  const url = new URL(opts.path ?? '/api/submissions/upload', baseUrl);
  const boundary = 'voyceraw' + Date.now();
  const pre = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${opts.field ?? 'audio'}"; filename="big.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`);
  const post = Buffer.from(`\r\n--${boundary}--\r\n`);
  const fill = Math.max(0, size - head.length);
  const total = pre.length + head.length + fill + post.length;
  const headers = [
    `POST ${url.pathname} HTTP/1.1`,
    `Host: ${url.host}`,
    `Authorization: Bearer ${token}`,
    `Content-Type: multipart/form-data; boundary=${boundary}`,
    opts.chunked ? 'Transfer-Encoding: chunked' : `Content-Length: ${total}`,
    '',
    '',
  ].join('\r\n');
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(url.port), url.hostname);
    const received: Buffer[] = [];
    let sent = 0;
    socket.pause(); // read nothing until everything is written
    const frame = (b: Buffer) => (opts.chunked ? [Buffer.from(b.length.toString(16) + '\r\n'), b, Buffer.from('\r\n')] : [b]);
    const write = async () => {
      const chunk = Buffer.alloc(256 * 1024, 0x11);
      const out = (b: Buffer) => new Promise<void>((ok, fail) => socket.write(b, (err) => (err ? fail(err) : ok())));
      await out(Buffer.from(headers));
      for (const b of [pre, head].flatMap(frame)) await out(b);
      sent = head.length;
      for (let left = fill; left > 0; left -= chunk.length) {
        for (const b of frame(left >= chunk.length ? chunk : chunk.subarray(0, left))) await out(b);
        sent += Math.min(left, chunk.length);
      }
      for (const b of frame(post)) await out(b);
      if (opts.chunked) await out(Buffer.from('0\r\n\r\n'));
    };
    socket.once('connect', () => {
      write().then(
        () => {
          socket.on('data', (d: Buffer) => received.push(d));
          socket.resume();
          const parse = () => {
            const text = Buffer.concat(received).toString('latin1');
            const end = text.indexOf('\r\n\r\n');
            if (end < 0) return false;
            const [statusLine, ...lines] = text.slice(0, end).split('\r\n');
            const hdrs: Record<string, string> = {};
            for (const l of lines) hdrs[l.slice(0, l.indexOf(':')).toLowerCase()] = l.slice(l.indexOf(':') + 1).trim();
            const len = Number(hdrs['content-length'] ?? NaN);
            const body = text.slice(end + 4);
            if (!Number.isFinite(len) || Buffer.byteLength(body, 'latin1') < len) return false;
            resolve({ status: Number(statusLine?.split(' ')[1]), headers: hdrs, body: JSON.parse(body.slice(0, len)), sentBytes: sent });
            socket.destroy();
            return true;
          };
          socket.on('data', parse);
          socket.once('end', () => parse() || reject(new Error(`connection ended before a whole answer: ${Buffer.concat(received).toString()}`)));
        },
        (err: unknown) => reject(new Error(`the server cut the connection while the body was being written (after ${sent} bytes): ${(err as Error).message}`)),
      );
    });
    socket.once('error', (err) => reject(err));
  });
}

/** Sends only the headers with `Expect: 100-continue` and reads what the server answers before any body byte. */
export function expectContinue(baseUrl: string, token: string, contentLength: number): Promise<{ status: number; text: string }> {
  const url = new URL('/api/submissions/upload', baseUrl);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(url.port), url.hostname, () => {
      socket.write(
        [`POST ${url.pathname} HTTP/1.1`, `Host: ${url.host}`, `Authorization: Bearer ${token}`, 'Content-Type: multipart/form-data; boundary=x', `Content-Length: ${contentLength}`, 'Expect: 100-continue', '', ''].join('\r\n'),
      );
    });
    let text = '';
    socket.on('data', (d: Buffer) => {
      text += d.toString();
      const status = Number(text.split(' ')[1]);
      if (status === 100 || (text.includes('\r\n\r\n') && text.includes('}'))) {
        resolve({ status, text });
        socket.destroy();
      }
    });
    socket.once('error', reject);
  });
}
