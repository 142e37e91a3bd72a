import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Config } from '@voyce/core';
import { discardRestOfBody } from '../http/discardBody';
import { tooLarge, uploadBodyLimit, UPLOAD_PATH } from './uploadBodyLimit';
import { declaredLength } from '../http/declaredLength';

/**
 * `Expect: 100-continue`: Node answers `100 Continue` to every such request unless the server listens for
 * `checkContinue`. Listening here lets an upload whose `Content-Length` is past the limit get its 413 before the
 * client sends the body (curl and .NET wait for this); every other request continues as before.
 */
export function answerExpectContinue(server: Server, config: Pick<Config, 'UPLOAD_MAX_BYTES'>): void {
  server.on('checkContinue', (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '').split('?')[0];
    const length = declaredLength(req);
    if (req.method === 'POST' && path === UPLOAD_PATH && length !== null && length > uploadBodyLimit(config)) {
      const err = tooLarge(config);
      const body = JSON.stringify({ error: { code: err.code, message: err.message } });
      res.writeHead(err.status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
      res.end(body);
      // A client that sends the body anyway (the Expect header is only a hint) is read past, not reset.
      discardRestOfBody(req, res);
      return;
    }
    res.writeContinue();
    server.emit('request', req, res);
  });
}
