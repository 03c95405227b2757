// The k6-operator engine: the plan as a ConfigMap and a TestRun on a Kubernetes cluster, whose
// runners remote-write their samples (native histograms) into Prometheus. The engine follows
// the TestRun's stage, watches the runner Jobs, and reads every runner's series from
// Prometheus once a second into the run's timeline, where histograms are added: the gate sees
// every request of every runner, as with the local and k6 engines.
import type { KubeConfig } from '@kubernetes/client-node';
import type { LoadPlan } from '../../../thresholds/model.ts';
import type { EngineInfo } from '../../../thresholds/result.ts';
import { RunError } from '../../errors.ts';
import type { CleanupStack } from '../../run/cleanup.ts';
import type { GeneratorBucket } from '../../timeline/recorder.ts';
import type { Engine, EngineRun } from '../engine.ts';
import { K6_ENGINE_NOTES } from '../k6/engine.ts';
import { sharedNowMs } from '../local/protocol.ts';
import { SeriesIngest, seriesQuery } from './ingest.ts';
import { buildManifests, PUSH_INTERVAL_S, testId, testRunName } from './manifests.ts';
import { RunObjects, type TestRunState } from './objects.ts';
import { preflightCluster } from './preflight.ts';
import { PrometheusClient } from './prometheus.ts';

const POLL_MS = 1000;
/** After the runners end, their last push lands within a push interval; wait two, and a bit. */
const LAST_PUSH_WAIT_MS = 2 * PUSH_INTERVAL_S * 1000 + 1000;
/** Reads that may fail in a row (Prometheus or the API server restarting) before the run fails. */
const FAILURES_TOLERATED = 10;
/** Beyond the plan's length and its request timeout, how long the runners may take to end. */
const END_SLACK_S = 120;

export const K6_OPERATOR_NOTES = [
  K6_ENGINE_NOTES[0]!,
  K6_ENGINE_NOTES[1]!,
  'k6-operator runners run with --no-thresholds: k6 would judge each runner on its 1/N of the ' +
    'load; the gate is computed over every runner together',
  'latency comes from Prometheus native histograms (buckets ~9 % wide): each request counts ' +
    "at its bucket's upper bound, so percentiles are at most one bucket (+9 %) above the truth",
  `seconds are assigned by the runners' push time (every ${PUSH_INTERVAL_S}s): per-second ` +
    'figures may shift by up to a second',
];

export interface K6OperatorOptions {
  kc: KubeConfig;
  namespace: string;
  parallelism: number;
  runId: string;
  /** Where runners remote-write (as they reach it). */
  prometheusUrl: string;
  /** Where tiergate queries (default: prometheusUrl). */
  prometheusQueryUrl?: string;
  /** Keep the TestRun and ConfigMap after a finished run (no `cleanup: post`). */
  keep: boolean;
  /** The run's cleanup stack: the objects' deletion goes on it before they are created. */
  cleanup: CleanupStack;
  /** Ctrl-C while the TestRun is starting. */
  signal: AbortSignal;
  /** Stage changes and what the engine does, for people (stderr). */
  log: (line: string) => void;
  /** How long the TestRun may take to reach `started` (pulling images, scheduling). */
  startTimeoutMs?: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class K6OperatorEngine implements Engine {
  readonly info: EngineInfo;

  constructor(private readonly o: K6OperatorOptions) {
    this.info = { name: 'k6-operator', version: 'k6.io/v1alpha1', generators: o.parallelism };
  }

  async start(plan: LoadPlan, sink: (buckets: GeneratorBucket[]) => void): Promise<EngineRun> {
    const { o } = this;
    const manifests = await buildManifests(plan, {
      runId: o.runId,
      namespace: o.namespace,
      parallelism: o.parallelism,
      prometheusUrl: o.prometheusUrl,
      keep: o.keep,
    });
    await preflightCluster(o.kc, o.namespace);
    const prometheus = new PrometheusClient(o.prometheusQueryUrl ?? o.prometheusUrl);
    const query = seriesQuery(testId(o.runId));
    await prometheus.query(query);

    const objects = new RunObjects(o.kc, o.namespace, testRunName(o.runId));
    let ended = false;
    // Before creating anything, so an interrupt from here on removes what was made.
    o.cleanup.push(`k6-operator TestRun ${objects.label}`, () =>
      ended && o.keep ? undefined : objects.deleteAll(),
    );
    await objects.create(manifests);
    o.log(
      `k6-operator: created ConfigMap and TestRun ${objects.label} (parallelism ${o.parallelism})`,
    );

    const follow = new StageLog(objects, o.log);
    await this.waitStarted(follow);
    const startAtMs = sharedNowMs();
    const ingest = new SeriesIngest(Date.now());
    const failed = new Set<string>();
    let stoppedByUs = false;
    let closed = false;

    const read = async (): Promise<TestRunState> => {
      const state = await follow.read();
      if (!state.gone) for (const job of await objects.failedRunners()) failed.add(job);
      const buckets = ingest.read(await prometheus.query(query));
      if (buckets.length > 0) sink(buckets);
      return state;
    };

    const endS = plan.durationS + plan.timeoutMs / 1000 + END_SLACK_S;
    const follows = async (): Promise<void> => {
      let failures = 0;
      let state: TestRunState | undefined;
      for (;;) {
        if (closed) return;
        try {
          state = await read();
          failures = 0;
        } catch (err) {
          if (++failures >= FAILURES_TOLERATED) throw err;
        }
        if (state && (state.gone || state.stage === 'finished' || state.stage === 'error')) break;
        if ((sharedNowMs() - startAtMs) / 1000 > endS) {
          throw new RunError(
            `TestRun ${objects.label} is still in stage ${state?.stage ?? 'unknown'} ${Math.round(endS)} s after it started`,
            'look at its runner Pods (kubectl get pods -l k6_cr=…); the TestRun was deleted',
          );
        }
        await sleep(POLL_MS);
      }
      ended = true;
      await sleep(LAST_PUSH_WAIT_MS);
      await read().catch(() => undefined);
      const elapsedS = (sharedNowMs() - startAtMs) / 1000;
      verdict(objects.label, state, { failed, stoppedByUs, elapsedS, plan, ingest });
    };
    const done = follows();
    done.catch(() => undefined);

    return {
      startAtMs,
      done,
      stop: () => {
        if (stoppedByUs) return;
        stoppedByUs = true;
        o.log(`k6-operator: stopping: deleting TestRun ${objects.label}`);
        objects.deleteTestRun().catch((err: Error) => o.log(`k6-operator: ${err.message}`));
      },
      close: async () => {
        closed = true;
      },
    };
  }

  /** Follows the stage until the operator's starter has resumed the runners (t = 0). */
  private async waitStarted(follow: StageLog): Promise<void> {
    const deadline = Date.now() + (this.o.startTimeoutMs ?? 300_000);
    for (;;) {
      if (this.o.signal.aborted) {
        throw new RunError(
          `interrupted while TestRun ${follow.label} was starting; it was deleted`,
        );
      }
      const state = await follow.read();
      if (state.stage === 'error') throw stageError(follow.label, state);
      if (state.gone) throw new RunError(`TestRun ${follow.label} was deleted before it started`);
      if (['started', 'stopped', 'finished'].includes(state.stage ?? '')) return;
      if (Date.now() > deadline) {
        throw new RunError(
          `TestRun ${follow.label} did not start within ${Math.round((this.o.startTimeoutMs ?? 300_000) / 1000)} s (stage ${state.stage ?? 'none yet'})`,
          'is k6-operator running and watching this namespace? (kubectl get testrun, kubectl get pods)',
        );
      }
      await sleep(POLL_MS / 2);
    }
  }
}

/** Reads the TestRun and prints each new stage once. */
class StageLog {
  private last: string | undefined;

  constructor(
    private readonly objects: RunObjects,
    private readonly log: (line: string) => void,
  ) {}

  get label(): string {
    return this.objects.label;
  }

  async read(): Promise<TestRunState> {
    const state = await this.objects.state();
    const now = state.gone ? 'deleted' : state.stage;
    if (now !== undefined && now !== this.last) {
      this.last = now;
      this.log(`k6-operator: TestRun ${this.label} ${state.gone ? 'deleted' : `stage ${now}`}`);
    }
    return state;
  }
}

function stageError(label: string, state: TestRunState): RunError {
  return new RunError(
    `TestRun ${label} is in stage error${state.conditions.length ? `: ${state.conditions.join('; ')}` : ''}`,
    'kubectl describe testrun shows why (the initializer Job logs too)',
  );
}

/** How the TestRun ended decides whether the run's data is whole. */
function verdict(
  label: string,
  state: TestRunState | undefined,
  r: {
    failed: Set<string>;
    stoppedByUs: boolean;
    elapsedS: number;
    plan: LoadPlan;
    ingest: SeriesIngest;
  },
): void {
  if (r.stoppedByUs) return;
  if (state?.stage === 'error') throw stageError(label, state);
  if (r.failed.size > 0) {
    throw new RunError(
      `runner Job ${[...r.failed].join(', ')} failed although TestRun ${label} says finished: ` +
        "that runner's share of the load is missing or cut short",
      'kubectl logs job/<name> shows why the runner failed',
    );
  }
  // `cleanup: post` deletes a finished TestRun, sometimes before a poll saw `finished`.
  if (state?.gone && r.elapsedS < r.plan.durationS) {
    throw new RunError(`TestRun ${label} was deleted by someone else before the plan's end`);
  }
  if (r.ingest.requests > 0 && r.ingest.histogramCount === 0) {
    throw new RunError(
      'Prometheus stored request counts but no latency histograms from the runners',
      'start Prometheus with --enable-feature=native-histograms (and --web.enable-remote-write-receiver)',
    );
  }
}
