// `tiergate demo`: the demo service in the foreground, for trying tiergate against it by hand.
import { createServer } from 'node:net';
import { RunError, UsageError } from '../../core/errors.ts';
import { EXIT } from '../../core/exit-codes.ts';
import type { Terminal } from '../../core/terminal.ts';
import { resolveDemoOptions } from '../../demo/options.ts';
import { type SpawnedDemo, spawnDemo } from '../../demo/spawn.ts';
import { demoOptionsFrom } from './options/demo-flags.ts';
import { parseNumber } from './options/plan-from-options.ts';

export interface DemoCommandFlags {
  port?: string;
  capacity?: string;
  serviceTime?: string;
  errorRate?: string;
}

/** A port already taken is the user's to change (exit 2), said before the demo starts. */
async function refuseBusyPort(host: string, port: number): Promise<void> {
  if (port === 0) return;
  const problem = await new Promise<string | undefined>((resolve) => {
    const probe = createServer();
    probe.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
    probe.listen(port, host, () => probe.close(() => resolve(undefined)));
  });
  if (problem !== undefined) {
    throw new UsageError(
      `--port ${port}: cannot listen on ${host}:${port} (${problem === 'EADDRINUSE' ? 'in use by another process' : problem})`,
      'pick another --port, or leave it out for a free one',
    );
  }
}

export async function demoCommand(
  flags: DemoCommandFlags,
  term: Terminal,
  signal: AbortSignal,
): Promise<number> {
  const options = demoOptionsFrom({
    ...(flags.capacity !== undefined ? { demoCapacity: flags.capacity } : {}),
    ...(flags.serviceTime !== undefined ? { demoServiceTime: flags.serviceTime } : {}),
    ...(flags.errorRate !== undefined ? { demoErrorRate: flags.errorRate } : {}),
  });
  const port = parseNumber('--port', flags.port, 0, 65535);
  if (port !== undefined) {
    options.port = Math.floor(port);
    await refuseBusyPort(resolveDemoOptions(options).host, options.port);
  }
  let demo: SpawnedDemo;
  try {
    demo = await spawnDemo(options);
  } catch (err) {
    throw new RunError((err as Error).message.split('\n').join(': '));
  }
  term.out(`demo target listening on ${demo.url} (Ctrl-C to stop)`);
  await new Promise<void>((resolve) => {
    signal.addEventListener('abort', () => resolve(), { once: true });
    demo.child.once('exit', () => resolve());
  });
  await demo.stop();
  return EXIT.pass;
}
