import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { BlockedNetworkError, isLoopbackHost } from './networkGuard';

/** Resolves with the error (or 'connected') of a raw TCP connection. */
function tryConnect(options: net.NetConnectOpts): Promise<Error | 'connected'> {
  return new Promise((resolve) => {
    const socket = net.connect(options);
    socket.once('connect', () => { socket.destroy(); resolve('connected'); });
    socket.once('error', resolve);
  });
}

describe('network guard (installed by the setupFiles of every jest project)', () => {
  it('refuses a connection to a non-loopback address before any packet leaves', async () => {
    const error = await tryConnect({ host: '10.255.255.1', port: 80 });
    expect(error).toBeInstanceOf(BlockedNetworkError);
    expect((error as Error).message).toContain('10.255.255.1:80 blocked');
  });

  it('refuses http and fetch to a public host name', async () => {
    const viaHttp = await new Promise<Error>((resolve) => {
      http.get('http://example.com/', () => resolve(new Error('reached example.com'))).once('error', resolve);
    });
    expect(viaHttp).toBeInstanceOf(BlockedNetworkError);
    const viaFetch = await fetch('https://example.com/').then(() => new Error('reached example.com'), (e: unknown) => e);
    expect(String((viaFetch as Error & { cause?: unknown }).cause)).toContain('example.com:443 blocked');
  });

  it('lets loopback through', async () => {
    const server = net.createServer((s) => s.end()).listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      expect(await tryConnect({ host: '127.0.0.1', port })).toBe('connected');
      expect(await tryConnect({ port })).toBe('connected');
    } finally {
      server.close();
    }
  });

  it('tells loopback from the rest', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]', '::ffff:127.0.0.1', 'LOCALHOST']) {
      expect(isLoopbackHost(host)).toBe(true);
    }
    for (const host of ['10.255.255.1', 'example.com', '0.0.0.0', '::ffff:10.0.0.1', '127.0.0.1.example.com', '::']) {
      expect(isLoopbackHost(host)).toBe(false);
    }
  });
});
