// The k6-operator engine: the plan as a ConfigMap and a TestRun on a Kubernetes cluster, whose
// runners remote-write their samples (native histograms) into Prometheus. The engine follows
// the TestRun's stage and its runner Jobs (list + watch), and reads every runner's series from
// Prometheus once a second into the run's timeline, where histograms are added: the gate sees
// every request of every runner, as with the local and k6 engines.
import type { KubeConfig } from '@kubernetes/client-node';
import type { CleanupStack } from '../../../core/cleanup.ts';
import { sharedNowMs } from '../../../core/clock.ts';
import { RunError } from '../../../core/errors.ts';
import type { LoadPlan } from '../../../thresholds/model.ts';
import type { EngineInfo } from '../../../thresholds/result.ts';
import type { GeneratorBucket } from '../../timeline/second.ts';
import type { Engine, EngineCapabilities, EngineRun } from '../engine.ts';
import { K6_ENGINE_NOTES } from '../k6/engine.ts';
import { SeriesIngest, seriesQuery } from './ingest.ts';
import { buildManifests, PUSH_INTERVAL_S, testId } from './manifests.ts';
import { RunObjects, type TestRunState } from './objects.ts';
import { preflightCluster } from './preflight.ts';
import { PrometheusClient } from './prometheus.ts';
import { PUSH_LANDS_MS, runnersStartMs } from './start.ts';

const POLL_MS = 1000;
/** How often the followed state is looked at while the TestRun starts (it is in memory). */
const START_POLL_MS = 100;
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
  `t = 0 is the runners' start and every push (each ${PUSH_INTERVAL_S}s) is placed at its own ` +
    "time, both on the runners' clock: a request counts in the second of the push that carried " +
    'it, at most one push interval after it completed',
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
  /** Keep the TestRun and ConfigMap after a finished or failed run (no `cleanup: post`). */
  keep: boolean;
  /** The runners' and initializer's k6 image. */
  image: string;
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

/** Runners in the cluster reach the target from there, often where this machine cannot. */
export const K6_OPERATOR_CAPABILITIES: EngineCapabilities = {
  sendsFromHere: false,
  localFaults: false,
};

export class K6OperatorEngine implements Engine {
  readonly info: EngineInfo;
  readonly capabilities = K6_OPERATOR_CAPABILITIES;

  constructor(private readonly o: K6OperatorOptions) {
    this.info = {
      name: 'k6-operator',
      version: 'k6.io/v1alpha1',
      generators: o.parallelism,
      image: o.image,
    };
  }

  async start(plan: LoadPlan, sink: (buckets: GeneratorBucket[]) => void): Promise<EngineRun> {
    const { o } = this;
    const manifests = await buildManifests(plan, {
      runId: o.runId,
      namespace: o.namespace,
      parallelism: o.parallelism,
      prometheusUrl: o.prometheusUrl,
      keep: o.keep,
      image: o.image,
    });
    await preflightCluster(o.kc, o.namespace);
    const prometheus = new PrometheusClient(o.prometheusQueryUrl ?? o.prometheusUrl);
    const query = seriesQuery(testId(o.runId));
    await prometheus.query(query);

    const objects = new RunObjects(o.kc, o.namespace, manifests.testRun.metadata.name, o.runId);
    // Followed before it exists, so no stage and no runner failure is missed.
    o.cleanup.push(`k6-operator watch of ${objects.label}`, () => objects.stopFollowing());
    await objects.follow(stageLog(objects.label, o.log));
    // Before creating anything, so an interrupt from here on removes what was made. With
    // --keep, a TestRun that reached its end (finished or error) stays to be inspected.
    o.cleanup.push(`k6-operator TestRun ${objects.label}`, () =>
      o.keep && ended(objects.state) ? undefined : objects.deleteCreated(),
    );
    await objects.create(manifests);
    o.log(
      `k6-operator: created ConfigMap and TestRun ${objects.label} (parallelism ${o.parallelism})`,
    );

    await this.waitStarted(objects);
    // t = 0 is the runners' start on their own clock, the one stamping their samples (stage
    // `started` comes seconds before the starter resumes them). As epoch ms it is this
    // machine's clock too, as far as the nodes' clocks agree with it (NTP).
    const startAtMs = await runnersStartMs({
      prometheus,
      testid: testId(o.runId),
      runners: o.parallelism,
      label: objects.label,
      signal: o.signal,
      timeoutMs: o.startTimeoutMs ?? 300_000,
      ended: () => {
        if (objects.state.stage === 'error') throw stageError(objects, o.keep);
        return objects.state.gone || ended(objects.state);
      },
      log: o.log,
    });
    const ingest = new SeriesIngest(startAtMs);
    let stoppedByUs = false;
    let closed = false;

    const read = async (): Promise<void> => {
      const buckets = ingest.read(await prometheus.range(ingest.rangeQuery(query, Date.now())));
      if (buckets.length > 0) sink(buckets);
    };

    const endS = plan.durationS + plan.timeoutMs / 1000 + END_SLACK_S;
    const follows = async (): Promise<void> => {
      let failures = 0;
      const { state } = objects;
      for (;;) {
        if (closed) return;
        try {
          await read();
          failures = 0;
        } catch (err) {
          if (++failures >= FAILURES_TOLERATED) throw err;
        }
        if (state.gone || ended(state)) break;
        if ((sharedNowMs() - startAtMs) / 1000 > endS) {
          throw new RunError(
            `TestRun ${objects.label} is still in stage ${state.stage ?? 'unknown'} ${Math.round(endS)} s after it started; tiergate deleted it, and its runner Pods with it`,
            `on a rerun, look at the runners while they run: kubectl logs -n ${o.namespace} -l k6_cr=${objects.name},runner=true`,
          );
        }
        await sleep(POLL_MS);
      }
      // Runner Jobs' last changes come on their own watch: they arrive within this wait too.
      await sleep(PUSH_LANDS_MS);
      await read().catch(() => undefined);
      verdict(objects, { stoppedByUs, keep: o.keep, startAtMs, plan, ingest });
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
      latencyBucketRatio: () => ingest.bucketRatio,
      close: async () => {
        closed = true;
      },
    };
  }

  /** Follows the stage until `started`: the starter Job exists; t = 0 comes from the runners. */
  private async waitStarted(objects: RunObjects): Promise<void> {
    const { state } = objects;
    const timeoutMs = this.o.startTimeoutMs ?? 300_000;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (this.o.signal.aborted) {
        throw new RunError(
          `interrupted while TestRun ${objects.label} was starting; it was deleted`,
        );
      }
      if (['started', 'stopped', 'finished'].includes(state.stage ?? '')) return;
      if (state.stage === 'error') throw stageError(objects, this.o.keep);
      if (state.gone) {
        throw new RunError(
          `TestRun ${objects.label} was deleted (stage ${state.stage ?? 'none yet'}) before it started, by someone other than tiergate`,
          'find who deletes TestRuns in this namespace, or run again',
        );
      }
      if (Date.now() > deadline) {
        const watch = objects.followError
          ? `; watching it fails: ${objects.followError.message}`
          : '';
        throw new RunError(
          `TestRun ${objects.label} did not start within ${Math.round(timeoutMs / 1000)} s (stage ${state.stage ?? 'none yet'})${watch}`,
          `is k6-operator running and watching namespace ${objects.namespace}? tiergate deleted the TestRun and its Pods: on a rerun, kubectl get pods -n ${objects.namespace} -l k6_cr=${objects.name} shows what they wait for`,
        );
      }
      await sleep(START_POLL_MS);
    }
  }
}

/** The TestRun reached an end of its own: `finished` or `error`. */
function ended(state: TestRunState): boolean {
  return state.finished || state.stage === 'error';
}

/** Prints each new stage, and the deletion, once. */
function stageLog(label: string, log: (line: string) => void): (state: TestRunState) => void {
  let last: string | undefined;
  return (state) => {
    const now = state.gone ? 'deleted' : state.stage;
    if (now === undefined || now === last) return;
    last = now;
    log(`k6-operator: TestRun ${label} ${state.gone ? 'deleted' : `stage ${now}`}`);
  };
}

/**
 * Stage `error`: often the initializer (`k6 archive`, `k6 inspect`) refused the script. Without
 * --keep the TestRun has `cleanup: post`, so k6-operator deletes it right after `error` (whether
 * or not that deletion was seen yet): the message does not depend on that race.
 */
function stageError(objects: RunObjects, keep: boolean): RunError {
  const { state, label, namespace, name } = objects;
  const why = state.conditions.length ? `: ${state.conditions.join('; ')}` : '';
  const logs = `kubectl logs -n ${namespace} job/${name}-initializer`;
  if (keep) {
    return new RunError(
      `TestRun ${label} is in stage error${why} (kept: --keep)`,
      `${logs} and kubectl describe -n ${namespace} testrun/${name} show why`,
    );
  }
  return new RunError(
    `TestRun ${label} went to stage error${why}; k6-operator deletes it (cleanup: post), and its initializer and runner Pods with it`,
    `run again with --keep to leave them in place, then ${logs} (and the k6-operator controller's logs) show why`,
  );
}

/** How the TestRun ended decides whether the run's data is whole. */
function verdict(
  objects: RunObjects,
  r: {
    stoppedByUs: boolean;
    keep: boolean;
    startAtMs: number;
    plan: LoadPlan;
    ingest: SeriesIngest;
  },
): void {
  if (r.stoppedByUs) return;
  const { state, label, namespace } = objects;
  if (state.stage === 'error') throw stageError(objects, r.keep);
  if (state.failedRunners.size > 0) {
    throw new RunError(
      `runner Job ${[...state.failedRunners].join(', ')} failed although TestRun ${label} says ${state.stage ?? 'nothing'}: ` +
        "that runner's share of the load is missing or cut short",
      state.gone
        ? `k6-operator deleted its Jobs with the TestRun (cleanup: post): run again with --keep, then kubectl logs -n ${namespace} job/<name> shows why`
        : `kubectl logs -n ${namespace} job/<name> shows why the runner failed`,
    );
  }
  if (state.gone && !state.finished) {
    const atS = Math.max(0, Math.round(((state.goneAtMs ?? Date.now()) - r.startAtMs) / 1000));
    throw new RunError(
      `TestRun ${label} was deleted at t = ${atS} s of ${r.plan.durationS} s before tiergate saw it finish, by someone other than tiergate: the run's data may be cut short`,
      'find who deletes TestRuns in this namespace, or run again',
    );
  }
  if (r.ingest.requests > 0 && r.ingest.histogramCount === 0) {
    throw new RunError(
      'Prometheus stored request counts but no latency histograms from the runners',
      'start Prometheus with --enable-feature=native-histograms (and --web.enable-remote-write-receiver)',
    );
  }
}
