// The demo as a process: `node --import tsx demo/main.ts --capacity-rps 500 …`. Prints one JSON
// line on stdout once listening (spawn.ts waits for it) and nothing more; errors go to stderr.
// Bad flags exit 2; SIGTERM, SIGINT or the parent going away close the server and exit 0.
import { parseArgs } from 'node:util';
import { FlagError, flagMessage, fromFlags, OPTION_FLAGS } from './flags.ts';
import { DemoOptionError, type DemoOptions, resolveDemoOptions } from './options.ts';
import { startDemoServer } from './server.ts';

const USAGE = `Usage: node --import tsx demo/main.ts [flags]
  --host <addr>              interface to listen on (default 127.0.0.1)
  --port <n>                 TCP port, 0 = any free one (default 0)
  --capacity-rps <n>         requests/second it can serve (default 2000)
  --service-time-ms <ms>     base service time (default 5)
  --jitter-ms <ms>           extra service time drawn from 0..ms (default 2)
  --checkout-time-ms <ms>    service time of POST /checkout (default 3 × service time)
  --error-rate <share>       share of requests answered 500, 0..1 (default 0)
  --queue-limit <n>          requests that may wait before 503s (default 1000)
  --name <name>              replica name, sent as x-demo-replica (default demo)
`;

function parse(argv: string[]): DemoOptions | 'help' {
  const flagOptions = Object.fromEntries(
    Object.values(OPTION_FLAGS).map((flag) => [flag.slice(2), { type: 'string' as const }]),
  );
  const { values } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: { ...flagOptions, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help === true) return 'help';
  return resolveDemoOptions(fromFlags(values));
}

async function main(): Promise<void> {
  let options: DemoOptions | 'help';
  try {
    options = parse(process.argv.slice(2));
  } catch (err) {
    const message =
      err instanceof DemoOptionError
        ? flagMessage(err)
        : err instanceof FlagError
          ? err.message
          : `${(err as Error).message} (see --help)`; // parseArgs: unknown flag, missing value
    process.stderr.write(`demo: ${message}\n`);
    process.exitCode = 2;
    return;
  }
  if (options === 'help') {
    process.stdout.write(USAGE);
    return;
  }

  let server: Awaited<ReturnType<typeof startDemoServer>>;
  try {
    server = await startDemoServer(options);
  } catch (err) {
    process.stderr.write(
      `demo: cannot listen on ${options.host}:${options.port}: ${(err as Error).message}\n`,
    );
    process.exitCode = 1;
    return;
  }

  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    void server.close().then(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  // Spawned with an IPC channel (spawn.ts): if the parent dies without stopping us, the channel
  // closes and we go too, rather than lingering as an orphan holding the port.
  if (process.connected) process.once('disconnect', stop);

  const line = { event: 'listening', url: server.url, pid: process.pid, options };
  process.stdout.write(`${JSON.stringify(line)}\n`);
}

await main();
