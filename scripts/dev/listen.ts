/**
 * Binding the dev server's port: the one asked for or, when the person allowed it (`--port-attempts`),
 * one of the next few; a port that stays taken becomes one clear message instead of an EADDRINUSE trace.
 */
import type http from 'node:http';
import type { AddressInfo } from 'node:net';

/** Raised when the port cannot be listened on: the command turns it into one clear message. */
export class PortInUseError extends Error {
  override name = 'PortInUseError';
  constructor(
    readonly host: string,
    readonly port: number,
  ) {
    super(`端口 ${host}:${port} 已被占用 port ${port} on ${host} is already in use`);
  }
}

/** The port a server got, and a note for the terminal when it is not the one asked for. */
export interface BoundPort {
  port: number;
  portNote?: string;
}

function listenOnce(server: http.Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    // Both listeners go once either fires, so a later attempt on the same server starts clean.
    const onError = (e: NodeJS.ErrnoException): void => {
      server.off('listening', onListening);
      reject(e.code === 'EADDRINUSE' || e.code === 'EACCES' ? new PortInUseError(host, port) : e);
    };
    const onListening = (): void => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}

/**
 * Listens on `port` (0: any free one), or on the first free one of the `attempts` ports after it.
 * Throws PortInUseError when all are taken, and other listen errors as they are.
 */
export async function listenNear(server: http.Server, host: string, port: number, attempts = 0): Promise<BoundPort> {
  // Port 0 cannot be taken: there is nothing to fall back to.
  const tries = port === 0 ? 0 : attempts;
  for (let i = 0; ; i++) {
    try {
      const bound = await listenOnce(server, host, port + i);
      if (bound === port || port === 0) return { port: bound };
      return { port: bound, portNote: `端口 ${port} 已被占用，改用 ${bound} port ${port} is in use; using ${bound}` };
    } catch (e) {
      if (!(e instanceof PortInUseError) || i >= tries) throw e;
    }
  }
}
