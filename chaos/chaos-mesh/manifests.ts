// A game day's faults as Chaos Mesh experiments: the exact objects the driver creates and
// `--dry-run` prints. Each carries the run's labels (for `chaos cleanup`) and a duration that
// ends it on its own should the runner die (the dead-man switch).
import { createHash } from 'node:crypto';
import { UsageError } from '../../core/errors.ts';
import { labelValue, objectName, runLabels } from '../../runner/kube/labels.ts';
import type { FaultSpec, GameDay, ScheduledFault } from '../../thresholds/gameday.ts';
import { experiment } from './builders.ts';
import type { ChaosMeshTarget } from './target.ts';
import type {
  ExperimentKind,
  ExperimentObject,
  ExperimentSpecs,
  Metadata,
  Selection,
} from './types.ts';

export const FAULT_ID_LABEL = 'tiergate.dev/fault-id';

/** How long each of `Selected` and `AllInjected` may take, unless `--inject-timeout` says. */
export const DEFAULT_INJECT_TIMEOUT_S = 30;

/**
 * Slack for tiergate's own delete after the hold (a late timer, a slow API call). What follows
 * the delete needs none: expiry and deletion both make Chaos Mesh recover the fault.
 */
export const REMOVAL_MARGIN_S = 30;

/**
 * Chaos Mesh counts `duration` from the object's creation: the hold, plus the longest wait for
 * `Selected` and then `AllInjected`, plus the removal margin. Past it the fault ends by itself
 * (so should the runner die), and never before tiergate's own hold is over.
 */
export function deadManDurationS(holdS: number, injectTimeoutS: number): number {
  return Math.ceil(holdS) + 2 * Math.ceil(injectTimeoutS) + REMOVAL_MARGIN_S;
}

export interface PlannedExperiment {
  fault: ScheduledFault;
  object: ExperimentObject;
}

export interface ChaosMeshPlan {
  experiments: PlannedExperiment[];
  /** What the mapping could not express exactly, said once each. */
  notes: string[];
  /** HTTPChaos is in the plan: it ignores connections opened before it was injected. */
  freshConnections: boolean;
}

export const HTTPCHAOS_NOTE =
  'HTTPChaos only acts on connections opened after it is injected: every request of this game day opens a new connection (k6 noConnectionReuse; the local engine does the same)';

type Mapped = {
  [K in ExperimentKind]: { kind: K; spec: Omit<ExperimentSpecs[K], keyof Selection | 'duration'> };
}[ExperimentKind];

function mapFault(fault: FaultSpec, target: ChaosMeshTarget, notes: Set<string>): Mapped {
  switch (fault.kind) {
    case 'latency':
      return {
        kind: 'NetworkChaos',
        spec: {
          action: 'delay',
          direction: 'to',
          delay: { latency: `${fault.latencyMs}ms`, jitter: `${fault.jitterMs ?? 0}ms` },
        },
      };
    case 'bandwidth':
      return {
        kind: 'NetworkChaos',
        spec: {
          action: 'bandwidth',
          direction: 'to',
          bandwidth: {
            // tc's units: `kbps` is kilobytes a second, `kbit` kilobits (1 KB = 8 kbit here).
            rate: `${Math.max(1, Math.round(fault.kbPerSecond * 8))}kbit`,
            limit: 20_971_520,
            buffer: 10_000,
          },
        },
      };
    case 'blackhole':
      notes.add(
        'a blackhole is NetworkChaos loss of that share of packets: TCP retransmits, so requests slow down or time out rather than a share of them failing',
      );
      return {
        kind: 'NetworkChaos',
        spec: {
          action: 'loss',
          direction: 'to',
          loss: { loss: String(Math.round(fault.share * 100)) },
        },
      };
    case 'http-error':
      notes.add(
        `HTTPChaos has no share of requests: every response of the selected pods is ${fault.status} (--mode/--value choose how many pods)`,
      );
      return {
        kind: 'HTTPChaos',
        spec: { target: 'Response', port: target.port, replace: { code: fault.status } },
      };
    case 'http-abort':
    case 'reset':
      notes.add(
        'HTTPChaos has no share of requests: every request to the selected pods is aborted (--mode/--value choose how many pods)',
      );
      return { kind: 'HTTPChaos', spec: { target: 'Request', port: target.port, abort: true } };
    case 'kill-replica':
      notes.add(
        'PodChaos pod-kill is one-shot: the pod is killed once at injection and its controller recreates it at once; the hold is only how long the game day watches',
      );
      return { kind: 'PodChaos', spec: { action: 'pod-kill' } };
    case 'pause-replica':
      notes.add(
        'a frozen replica is PodChaos pod-failure: the pod stays but serves nothing until the fault is removed',
      );
      return { kind: 'PodChaos', spec: { action: 'pod-failure' } };
    case 'kubernetes-only':
      switch (fault.chaos) {
        case 'StressChaos-cpu':
          return { kind: 'StressChaos', spec: { stressors: { cpu: { workers: 1, load: 100 } } } };
        case 'StressChaos-memory':
          return {
            kind: 'StressChaos',
            spec: { stressors: { memory: { workers: 1, size: '256MB' } } },
          };
        case 'IOChaos':
          if (target.volumePath === undefined) {
            throw new UsageError(
              'IOChaos needs --volume-path <path>: the volume mounted in the target pods to slow down',
              'e.g. --volume-path /var/lib/data',
            );
          }
          return {
            kind: 'IOChaos',
            spec: {
              action: 'latency',
              volumePath: target.volumePath,
              delay: '100ms',
              percent: 100,
            },
          };
        case 'PodChaos':
          return { kind: 'PodChaos', spec: { action: 'pod-failure' } };
        case 'NetworkChaos':
          return {
            kind: 'NetworkChaos',
            spec: { action: 'delay', direction: 'to', delay: { latency: '200ms' } },
          };
      }
  }
}

/**
 * Names unique per run and fault, within Kubernetes' limits: the hash covers the fault id as
 * written, so ids that read alike once lower-cased (`A-1`, `a-1`, `a.1`) still differ.
 */
export function experimentName(runId: string, faultId: string): string {
  const hash = createHash('sha256').update(`${runId}\n${faultId}`).digest('hex').slice(0, 8);
  return objectName('tg', faultId.slice(0, 38), hash);
}

function metadata(runId: string, f: ScheduledFault, target: ChaosMeshTarget): Metadata {
  return {
    name: experimentName(runId, f.id),
    namespace: target.namespace,
    labels: { ...runLabels(runId), [FAULT_ID_LABEL]: labelValue(f.id) },
    annotations: { 'tiergate.dev/run-id': runId, 'tiergate.dev/hold': `${f.holdS}s` },
  };
}

export function planChaosMesh(
  g: GameDay,
  target: ChaosMeshTarget,
  runId: string,
  injectTimeoutS = DEFAULT_INJECT_TIMEOUT_S,
): ChaosMeshPlan {
  const notes = new Set<string>();
  const selection: Selection = {
    mode: target.mode,
    ...(target.value !== undefined ? { value: target.value } : {}),
    selector: { namespaces: [target.namespace], labelSelectors: target.labels },
  };
  const experiments = g.faults.map((f): PlannedExperiment => {
    const mapped = mapFault(f.fault, target, notes);
    const spec = {
      ...mapped.spec,
      ...selection,
      duration: `${deadManDurationS(f.holdS, injectTimeoutS)}s`,
    };
    const object = experiment(
      mapped.kind,
      metadata(runId, f, target),
      spec as never,
    ) as ExperimentObject;
    return { fault: f, object };
  });
  if (target.mode === 'random-max-percent') {
    notes.add(
      `random-max-percent draws 0–${target.value} % of the pods each time: it may select none, and then Selected never comes and the injection times out`,
    );
  }
  const freshConnections = experiments.some((e) => e.object.kind === 'HTTPChaos');
  if (freshConnections) notes.add(HTTPCHAOS_NOTE);
  return { experiments, notes: [...notes], freshConnections };
}
