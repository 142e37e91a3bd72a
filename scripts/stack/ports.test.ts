import net from 'node:net';
import { canConnect, findFreePorts, isPortInUse } from './ports';

describe('ports', () => {
  it('finds distinct free ports and tells a taken port from a free one', async () => {
    const [a, b] = await findFreePorts(2);
    expect(a).toBeDefined();
    expect(a).not.toBe(b);
    const port = a as number;
    expect(await isPortInUse(port)).toBe(false);
    const server = net.createServer().listen(port, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    try {
      expect(await isPortInUse(port)).toBe(true);
      expect(await canConnect(port)).toBe(true);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
    expect(await canConnect(port)).toBe(false);
  });
});
