// Before any load: is the target there at all? A refused connection is a run error (exit 3)
// with one line saying so, not a run full of errors.
import net from 'node:net';
import { RunError } from '../../core/errors.ts';

export async function preflightTarget(target: string, timeoutMs = 3000): Promise<void> {
  const url = new URL(target);
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  const host = url.hostname.replace(/^\[|\]$/g, '');
  await new Promise<void>((resolve, reject) => {
    const socket = net.connect({ host, port });
    const fail = (why: string) => {
      socket.destroy();
      reject(
        new RunError(
          `target ${url.origin} is unreachable: ${why}`,
          'start the service (or use --target demo), then run again',
        ),
      );
    };
    socket.setTimeout(timeoutMs, () => fail(`no answer to a TCP connect within ${timeoutMs} ms`));
    socket.once('connect', () => {
      socket.end();
      resolve();
    });
    socket.once('error', (err: NodeJS.ErrnoException) =>
      fail(err.code === 'ECONNREFUSED' ? 'connection refused' : (err.code ?? err.message)),
    );
  });
}
