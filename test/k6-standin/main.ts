// tiergate's test-only k6 stand-in: the part of k6's command line, script API, outputs and REST
// API that tiergate relies on, written from k6's documentation. Never shipped; CI runs the k6
// paths against it, and against a real k6 when K6_BIN names one.
import { parseArgs } from './args.ts';
import { bundleScript } from './bundle.ts';
import { executionRequirements, runConfig, segmentOf } from './config.ts';
import { goDuration, parseDurationMs } from './durations.ts';
import { EXIT, K6Exit, log } from './log.ts';
import type { InitInfo } from './protocol.ts';
import { type Prepared, TestRun } from './run.ts';
import { Vu } from './vu.ts';

/** The k6 release whose contract the stand-in follows (tiergate last verified it with K6_BIN). */
export const STANDIN_K6_VERSION = 'v1.8.1';

/** The first line of a script exception: k6 logs the whole stack, callers read the message. */
async function prepare(command: 'run' | 'inspect', argv: string[]): Promise<Prepared> {
  const cli = parseArgs(command, argv);
  const segment = segmentOf(cli.segment, cli.sequence);
  const script = await bundleScript(cli.script);
  // `k6 run` passes the system environment to __ENV (--include-system-env-vars defaults to
  // true there); `k6 inspect` sees only -e. -e wins.
  const env: Record<string, string> = {};
  if (command === 'run') {
    for (const [k, v] of Object.entries(process.env)) if (v !== undefined) env[k] = v;
  }
  Object.assign(env, cli.env);
  const vu0 = new Vu(0, script.code, script.path, env, {
    request: () => Promise.reject(new Error('no requests from VU 0 outside setup/teardown')),
    samples: () => undefined,
  });
  let info: InitInfo;
  try {
    info = await vu0.ready;
  } catch (err) {
    await vu0.stop();
    const aborted = (err as { aborted?: boolean }).aborted === true;
    throw new K6Exit(aborted ? EXIT.scriptAborted : EXIT.scriptException, (err as Error).message);
  }
  try {
    return { cli, script, env, vu0, info, config: runConfig(info.options), segment };
  } catch (err) {
    await vu0.stop();
    throw err;
  }
}

/** k6 inspect prints the options with durations as Go writes them. */
function inspectJson(options: Record<string, unknown>): string {
  const durationKeys = new Set([
    'duration',
    'startTime',
    'gracefulStop',
    'gracefulRampDown',
    'timeUnit',
    'delayAbortEval',
  ]);
  return JSON.stringify(
    options,
    (key, value) => {
      if (!durationKeys.has(key)) return value;
      const ms = parseDurationMs(value);
      return ms === undefined ? value : goDuration(ms);
    },
    2,
  );
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === 'version') {
    process.stdout.write(
      `k6 ${STANDIN_K6_VERSION} (tiergate test stand-in, node ${process.version})\n`,
    );
    return 0;
  }
  if (command !== 'run' && command !== 'inspect') {
    throw new K6Exit(
      EXIT.invalidConfig,
      `unknown command "${command ?? ''}" for the tiergate k6 stand-in (version, run, inspect)`,
    );
  }
  const prepared = await prepare(command, rest);
  if (command === 'inspect') {
    await prepared.vu0.stop();
    const out = prepared.cli.executionRequirements
      ? JSON.stringify(executionRequirements(prepared.config, prepared.segment), null, 2)
      : inspectJson(prepared.info.options);
    process.stdout.write(`${out}\n`);
    return 0;
  }
  const test = new TestRun(prepared);
  let signals = 0;
  const onSignal = () => {
    signals++;
    if (signals > 1) process.exit(EXIT.interrupted);
    log('info', 'Stopping k6 in response to signal...');
    test.interrupt();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    return await test.run();
  } finally {
    await prepared.vu0.stop();
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    if (err instanceof K6Exit) {
      log('error', err.message);
      process.exitCode = err.code;
    } else {
      log('error', err instanceof Error ? (err.stack ?? err.message) : String(err));
      process.exitCode = EXIT.scriptException;
    }
  },
);
