import net from 'node:net';
import { LOCAL_HOST } from './paths';

/**
 * Free TCP ports chosen by the kernel (listen on port 0). All sockets stay open until every port
 * is known, so a single call never returns the same port twice.
 */
export async function findFreePorts(count: number, host: string = LOCAL_HOST): Promise<number[]> {
  const servers: net.Server[] = [];
  try {
    const ports: number[] = [];
    for (let i = 0; i < count; i += 1) {
      const server = net.createServer();
      servers.push(server);
      ports.push(await listen(server, 0, host));
    }
    return ports;
  } finally {
    await Promise.all(servers.map((s) => closeServer(s)));
  }
}

/** One free TCP port on host. */
export async function findFreePort(host: string = LOCAL_HOST): Promise<number> {
  const [port] = await findFreePorts(1, host);
  if (port === undefined) throw new Error('findFreePorts returned no port');
  return port;
}

/**
 * Whether something already holds host:port. We try to bind (EADDRINUSE means taken, and on Linux
 * that also catches a server bound to 0.0.0.0) and also try to connect, which catches a server
 * bound to another loopback address in the way that matters: clients would reach it instead of us.
 */
export async function isPortInUse(port: number, host: string = LOCAL_HOST): Promise<boolean> {
  const server = net.createServer();
  try {
    await listen(server, port, host);
  } catch (error) {
    if (isErrno(error, 'EADDRINUSE') || isErrno(error, 'EACCES')) return true;
    throw error;
  } finally {
    await closeServer(server);
  }
  return canConnect(port, host, 300);
}

/** Whether a TCP connection to host:port succeeds within timeoutMs. */
export function canConnect(port: number, host: string = LOCAL_HOST, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host });
    const done = (ok: boolean): void => {
      socket.removeAllListeners();
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

function listen(server: net.Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    // exclusive: do not share a handle with cluster workers; we want the real bind result.
    server.listen({ port, host, exclusive: true }, () => {
      server.off('error', reject);
      const address = server.address();
      if (address === null || typeof address === 'string') {
        reject(new Error('unexpected server address'));
        return;
      }
      resolve(address.port);
    });
  });
}

function closeServer(server: net.Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) {
      resolve();
      return;
    }
    server.close(() => resolve());
  });
}

/** Not `instanceof Error`: under jest, Node's errors come from another realm than the test's Error. */
function isErrno(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && (error as NodeJS.ErrnoException).code === code;
}
