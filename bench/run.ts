// `npm run bench [-- --quick] [-- --results-dir <dir>]`: the speed of tiergate itself, side
// by side with autocannon, wrk and (when K6_BIN names one) k6 on this machine against one nginx
// on 127.0.0.1, and (full run) its start-up from the compiled package; `-- --startup` measures
// and prints only the start-up, in seconds. Prints a Markdown table; writes
// <results-dir>/<date>.json, latest.json and latest.md. Every run is bounded in time; targets are reported as met / not met, never as a
// failure.
import { mkdir, writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { killChildren } from './lib/child.ts';
import { startNginx } from './lib/nginx.ts';
import { type BenchMode, FULL, QUICK } from './mode.ts';
import { benchK6, type K6Peer } from './peers/k6.ts';
import { runNodeChild } from './peers/node-child.ts';
import { assemble, type Measured, markdown } from './results.ts';
import { measureComparable, measureFixedRate } from './sections/fixed-rate.ts';
import { measureOffline } from './sections/offline.ts';
import { measureStartup, startupMarkdown } from './sections/startup.ts';
import { measureThroughput } from './sections/throughput.ts';
import { versions } from './versions.ts';

type Online = Pick<Measured, 'throughput' | 'fixedRate' | 'comparable'>;

/**
 * The measurements against the target; with k6, the same-load RSS run at 80 % of the lower
 * ceiling (without k6 there is nothing to compare it with).
 */
async function measureOnline(
  url: string,
  mode: BenchMode,
  k6Path: string | undefined,
  log: (line: string) => void,
): Promise<Online> {
  const throughput = await measureThroughput(url, mode, k6Path, log);
  const fixedRate = await measureFixedRate(url, mode, k6Path, log);
  if (k6Path === undefined || throughput.k6 === undefined) return { throughput, fixedRate };
  const lower = Math.min(throughput.local.held, throughput.k6.held);
  const sameRate = Math.max(1000, Math.round((lower * 0.8) / 250) * 250);
  const comparable = await measureComparable(url, sameRate, mode, k6Path, log);
  return { throughput, fixedRate, comparable };
}

function flagValue(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

/** Start-up runs measured (each of `node -e 0`, `--help`, `tiers`), interleaved. */
const STARTUP_RUNS = 9;

async function main(args: string[]): Promise<void> {
  if (args.includes('--startup')) {
    const log = (line: string): void => void process.stderr.write(`[bench] ${line}\n`);
    process.stdout.write(startupMarkdown(measureStartup(STARTUP_RUNS, log)));
    return;
  }
  const mode = args.includes('--quick') ? QUICK : FULL;
  const resultsDir =
    flagValue(args, '--results-dir') ?? fileURLToPath(new URL('./results/', import.meta.url));
  const started = new Date();
  const t0 = performance.now();
  const loads: number[] = [loadavg()[0] ?? 0];
  const log = (line: string): void => {
    loads.push(loadavg()[0] ?? 0);
    process.stderr.write(`[bench ${((performance.now() - t0) / 1000).toFixed(0)}s] ${line}\n`);
  };
  const ruler = async (): Promise<number> =>
    (await runNodeChild<{ ms: number }>('ruler', {}, 60_000)).result.ms;
  const rulerBefore = await ruler();
  // Not in --quick (the suite's smoke run): building dist/ alone would take a sixth of it.
  const startup = mode.name === 'full' ? measureStartup(STARTUP_RUNS, log) : undefined;
  const k6: K6Peer = await benchK6();
  const info = versions(k6.measured ? k6.version : undefined);
  log(`${mode.name} run; ${info.pinned ? 'pinned: target core 1, generators core 0' : 'unpinned'}`);
  log(k6.measured ? `k6: ${k6.version} (K6_BIN)` : `k6: not measured: ${k6.why}`);

  let target: Awaited<ReturnType<typeof startNginx>> | undefined;
  // Interrupted: the running child and nginx are stopped before exiting.
  const interrupted = (): void => {
    killChildren();
    void (target?.stop() ?? Promise.resolve()).finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  target = await startNginx();
  let online: Online;
  try {
    online = await measureOnline(target.url, mode, k6.measured ? k6.path : undefined, log);
  } finally {
    await target.stop();
    target = undefined;
  }
  const offline = await measureOffline(mode, log);
  const rulerAfter = await ruler();
  process.off('SIGINT', interrupted);
  process.off('SIGTERM', interrupted);

  const finished = new Date();
  const results = assemble(
    { ...online, ...offline },
    {
      mode: mode.name,
      startedAt: started.toISOString(),
      finishedAt: finished.toISOString(),
      durationS: (performance.now() - t0) / 1000,
      versions: info,
      k6: k6.measured ? { measured: true } : { measured: false, why: k6.why },
      localLagBarMs: mode.lagBarMs,
      settings: mode,
      loadAverage: { before: loads[0] ?? 0, after: loadavg()[0] ?? 0, max: Math.max(...loads) },
      cpuRulerMs: { before: rulerBefore, after: rulerAfter },
    },
  );
  const md = startup ? `${markdown(results)}\n${startupMarkdown(startup)}` : markdown(results);
  await mkdir(resultsDir, { recursive: true });
  const json = `${JSON.stringify({ ...results, startup }, null, 2)}\n`;
  const stamp = started
    .toISOString()
    .replace(/:/g, '-')
    .replace(/\.\d+Z$/, 'Z');
  await writeFile(join(resultsDir, `${stamp}${mode.name === 'quick' ? '-quick' : ''}.json`), json);
  await writeFile(join(resultsDir, 'latest.json'), json);
  await writeFile(join(resultsDir, 'latest.md'), md);
  process.stdout.write(md);
}

main(process.argv.slice(2)).catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
