// The k6 engine: the plan as one bundled k6 script, run by N real k6 processes, each on its
// execution segment (1/N of every scenario's arrivals and VUs). Every process streams its JSON
// samples into its own per-second recorder; their buckets go to the one sink (the run's
// TimelineStore), which adds histograms, so the gate and the rollback watch see every request
// of every process: one global gate. k6's own thresholds still run in each process, on its
// 1/N: they are kept as advice (ownThresholds()), and never abort (the runner aborts them all).
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sharedNowMs } from '../../../core/clock.ts';
import { RunError } from '../../../core/errors.ts';
import type { LoadPlan } from '../../../thresholds/model.ts';
import type { EngineInfo } from '../../../thresholds/result.ts';
import { SecondRecorder } from '../../timeline/recorder.ts';
import type { GeneratorBucket } from '../../timeline/second.ts';
import type { Engine, EngineCapabilities, EngineRun } from '../engine.ts';
import { findK6, type K6Binary } from './binary.ts';
import { bundlePlan, secretEnv } from './bundle.ts';
import { checkedOptions } from './checked-options.ts';
import { K6_EXIT_CANNOT_START_API, k6EndedWell, k6ExitMeaning } from './exit-codes.ts';
import { K6Process } from './process.ts';
import { freePort } from './rest.ts';
import { K6SampleReader } from './samples.ts';

const FLUSH_EVERY_MS = 250;
/**
 * k6 hands samples to its JSON output in batches: they reach us up to ~0.3 s after their
 * timestamp. A second is flushed once it ended this long ago; a sample later still is not lost,
 * it travels in a later bucket of the same second, which the timeline adds.
 */
const LATE_SAMPLES_S = 0.5;
/** After SIGINT, k6 gets the grace plus this long to flush before SIGKILL. */
const KILL_AFTER_GRACE_MS = 5000;

export const K6_ENGINE_NOTES = [
  'k6 measures latency from the actual send, not from the intended send time: latency is ' +
    "k6's http_req_duration, which is service time; arrivals k6 could not start on time are " +
    'counted as dropped (dropped_iterations), so coordinated omission shows as drops',
  'send lag is not measured by k6 (left empty)',
  "k6's own thresholds ran in each process on its share of the load: advice only; the gate " +
    'is computed from every process together',
];

export interface K6EngineOptions {
  processes: number;
  /** More `k6 run` arguments for process i (e.g. another `--out`). */
  extraArgs?: (index: number) => string[];
  /** How long k6 may take to initialise its VUs. Default 120 s. */
  readyTimeoutMs?: number;
}

export interface K6EngineRun extends EngineRun {
  /** k6's threshold results per process (`"<metric>: <expression>" → passed`), once done. */
  ownThresholds(): Record<string, boolean>[];
  /** Why the k6 options differ from the plan (rounded rates, objectives k6 cannot express). */
  readonly notes: string[];
}

/** Buckets leave without the send-lag histogram: k6 does not measure it. */
function withoutSendLag(buckets: GeneratorBucket[]): GeneratorBucket[] {
  return buckets.map((b) => ({ ...b, sendLag: '' }));
}

async function readThresholds(file: string): Promise<Record<string, boolean>> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as Record<string, boolean>;
  } catch {
    return {}; // killed before handleSummary ran
  }
}

/** k6 processes on this machine: they reach what this machine reaches, the fault proxy too. */
export const K6_CAPABILITIES: EngineCapabilities = { sendsFromHere: true, localFaults: true };

export class K6Engine implements Engine {
  readonly capabilities = K6_CAPABILITIES;
  readonly info: EngineInfo;
  readonly notes = K6_ENGINE_NOTES;
  private last: K6EngineRun | undefined;

  constructor(
    readonly binary: K6Binary,
    private readonly options: K6EngineOptions,
  ) {
    const processes = Math.max(1, Math.floor(options.processes));
    this.options = { ...options, processes };
    this.info = { name: 'k6', version: binary.version, generators: processes };
  }

  /** k6's threshold results of the latest run, per process. */
  ownThresholds(): Record<string, boolean>[] {
    return this.last?.ownThresholds() ?? [];
  }

  async start(plan: LoadPlan, sink: (buckets: GeneratorBucket[]) => void): Promise<K6EngineRun> {
    const count = this.options.processes;
    const { notes } = checkedOptions(plan, { abortOnFail: false, generators: count });
    const dir = await mkdtemp(join(tmpdir(), 'tiergate-k6-'));
    const script = join(dir, 'plan.js');
    await writeFile(script, await bundlePlan(plan, { mode: 'engine', generators: count }));
    // The script reads the plan's secrets from its environment, never from its text.
    const secrets = secretEnv(plan);

    const readers: (K6SampleReader | undefined)[] = [];
    const recorders = Array.from({ length: count }, () => new SecondRecorder());
    const processes: K6Process[] = [];
    const killAll = async (): Promise<void> => {
      for (const p of processes) p.kill();
      await Promise.all(processes.map((p) => p.closed));
    };
    const cleanup = async (): Promise<void> => {
      await killAll();
      await rm(dir, { recursive: true, force: true });
    };

    // Initialising VUs takes a while: every process initialises at once.
    const launched = await Promise.allSettled(
      Array.from({ length: count }, (_, index) =>
        this.launch(index, count, script, dir, (line) => readers[index]?.line(line), secrets),
      ),
    );
    for (const l of launched) if (l.status === 'fulfilled') processes.push(l.value);
    const failed = launched.find((l) => l.status === 'rejected');
    if (failed) {
      await cleanup();
      throw failed.reason;
    }

    // Every process is initialised and paused: t = 0 is now, for all of them.
    const startAtMs = sharedNowMs();
    const wallStartMs = Date.now();
    for (let i = 0; i < count; i++) readers[i] = new K6SampleReader(recorders[i]!, wallStartMs);
    try {
      await Promise.all(processes.map((p) => p.resume()));
    } catch (err) {
      await cleanup();
      throw new RunError(`k6 did not start: ${(err as Error).message}`);
    }

    const emit = (buckets: GeneratorBucket[]): void => {
      if (buckets.length > 0) sink(withoutSendLag(buckets));
    };
    const flushTimer = setInterval(() => {
      const nowS = Math.floor((Date.now() - wallStartMs) / 1000 - LATE_SAMPLES_S);
      for (const r of recorders) emit(r.flush(nowS));
    }, FLUSH_EVERY_MS);

    const thresholds: Record<string, boolean>[] = Array.from({ length: count }, () => ({}));
    const finished = processes.map(async (p, i) => {
      const { code, signal } = await p.closed;
      emit(recorders[i]!.flush());
      thresholds[i] = await readThresholds(p.spec.summaryFile);
      if (code !== null && k6EndedWell(code, p.stoppedByUs)) return;
      if (code === null && p.stoppedByUs) return;
      const why =
        code === null
          ? `was killed by ${signal ?? 'a signal'}`
          : `exited with code ${code} (${k6ExitMeaning(code)})`;
      throw new RunError(`k6 process ${i + 1}/${count} ${why}: ${p.errorText()}`);
    });
    const done = Promise.all(finished).then(
      () => clearInterval(flushTimer),
      (err: unknown) => {
        clearInterval(flushTimer);
        throw err;
      },
    );
    // A rejection is the caller's to handle; never an unhandled one meanwhile.
    done.catch(() => undefined);

    let killTimer: NodeJS.Timeout | undefined;
    let closed = false;
    const run: K6EngineRun = {
      startAtMs,
      done,
      notes,
      ownThresholds: () => thresholds.map((t) => ({ ...t })),
      stop(graceMs: number) {
        if (killTimer !== undefined) return;
        for (const p of processes) p.interrupt();
        killTimer = setTimeout(() => {
          for (const p of processes) p.kill();
        }, graceMs + KILL_AFTER_GRACE_MS);
        killTimer.unref();
      },
      async close() {
        if (closed) return;
        closed = true;
        clearInterval(flushTimer);
        if (killTimer !== undefined) clearTimeout(killTimer);
        await cleanup();
      },
    };
    this.last = run;
    return run;
  }

  /** Starts process `index` and waits until it is initialised and paused. */
  private async launch(
    index: number,
    count: number,
    script: string,
    dir: string,
    onLine: (line: string) => void,
    secrets: Record<string, string>,
  ): Promise<K6Process> {
    for (let attempt = 1; ; attempt++) {
      const p = new K6Process({
        binary: this.binary.path,
        script,
        index,
        count,
        address: `127.0.0.1:${await freePort()}`,
        summaryFile: join(dir, `summary-${index}.json`),
        extraArgs: this.options.extraArgs?.(index) ?? [],
        extraEnv: secrets,
        onLine,
      });
      const state = await p.ready(this.options.readyTimeoutMs ?? 120_000);
      if (state === 'ready') return p;
      if (state === 'timeout') {
        p.kill();
        await p.closed;
        throw new RunError(
          `k6 process ${index + 1}/${count} was not ready within the time allowed: ${p.errorText()}`,
        );
      }
      const { code } = await p.closed;
      // The port was taken between our check and k6's bind: try another once.
      if (code === K6_EXIT_CANNOT_START_API && attempt < 2) continue;
      throw new RunError(
        `k6 process ${index + 1}/${count} exited with code ${code ?? 'none'}` +
          ` (${code === null ? 'did not start' : k6ExitMeaning(code)}) before the test started: ${p.errorText()}`,
      );
    }
  }
}

/** The k6 engine with `processes` k6 processes of the user's k6 (`--k6`, K6_BIN or PATH). */
export async function createK6Engine(processes: number, k6Path?: string): Promise<K6Engine> {
  return new K6Engine(await findK6(k6Path === undefined ? {} : { explicit: k6Path }), {
    processes,
  });
}
