// `tiergate demo`: the demo service in the foreground, for trying tiergate against it by hand.
import { spawnDemo } from '../../demo/spawn.ts';
import { EXIT } from '../exit-codes.ts';
import { demoOptionsFrom } from './demo-flags.ts';
import { parseNumber } from './plan-from-options.ts';
import type { Terminal } from './terminal.ts';

export interface DemoCommandFlags {
  port?: string;
  capacity?: string;
  serviceTime?: string;
  errorRate?: string;
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
  if (port !== undefined) options.port = port;
  const demo = await spawnDemo(options);
  term.out(`demo target listening on ${demo.url} (Ctrl-C to stop)`);
  await new Promise<void>((resolve) => {
    signal.addEventListener('abort', () => resolve(), { once: true });
    demo.child.once('exit', () => resolve());
  });
  await demo.stop();
  return EXIT.pass;
}
