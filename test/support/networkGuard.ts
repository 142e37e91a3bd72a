/**
 * Outgoing network is blocked in tests (as practica does): every TCP/TLS connection goes through
 * `net.Socket.prototype.connect` (http, https, fetch/undici, pg, the Azure and Temporal clients), so
 * patching it stops anything that would silently reach out. Loopback and Unix sockets stay open.
 */
import net from 'node:net';

const LOOPBACK_NAMES = new Set(['localhost', '::1', '0:0:0:0:0:0:0:1']);

/** The error a blocked connection fails with; its message names the host and what is allowed. */
export class BlockedNetworkError extends Error {
  readonly code = 'ENETBLOCKED';
  constructor(readonly target: string) {
    super(`tests may not reach the network: connection to ${target} blocked (only 127.0.0.1, ::1 and localhost are allowed)`);
    this.name = 'BlockedNetworkError';
  }
}

/** True for the loopback addresses and names a test may connect to. */
export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '');
  if (LOOPBACK_NAMES.has(h) || h.endsWith('.localhost')) return true;
  const v4 = h.startsWith('::ffff:') ? h.slice('::ffff:'.length) : h;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4);
}

interface ConnectTarget { host?: string | null; port?: number | string; path?: string | null }

/** What `socket.connect(...)` was asked for, whichever of its overloads (or net's normalized array) was used. */
function targetOf(args: unknown[]): ConnectTarget {
  const first = Array.isArray(args[0]) ? (args[0] as unknown[])[0] : args[0];
  if (typeof first === 'object' && first !== null) return first as ConnectTarget;
  if (typeof first === 'string' && !/^\d+$/.test(first)) return { path: first };
  return { port: first as number, host: typeof args[1] === 'string' ? args[1] : undefined };
}

let installed = false;

/** Patches net.Socket so non-loopback connections fail with BlockedNetworkError (idempotent). */
export function installNetworkGuard(): void {
  if (installed) return;
  installed = true;
  const original = net.Socket.prototype.connect;
  net.Socket.prototype.connect = function guardedConnect(this: net.Socket, ...args: any[]) {
    const target = targetOf(args);
    const host = target.host ?? 'localhost';
    if (typeof target.path !== 'string' && !isLoopbackHost(host)) {
      const error = new BlockedNetworkError(`${host}:${String(target.port ?? '')}`);
      process.stderr.write(`${error.message}\n`);
      process.nextTick(() => this.destroy(error));
      return this;
    }
    return original.apply(this, args as Parameters<typeof original>);
  } as typeof original;
}
