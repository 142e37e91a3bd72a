import http from 'node:http';

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
