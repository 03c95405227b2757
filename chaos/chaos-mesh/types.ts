// Chaos Mesh custom resources (chaos-mesh.org/v1alpha1), typed after the CRD schemas tiergate
// is tested against (test/kube/crds, upstream commit 608b61e). Only the fields tiergate sets
// are typed; the API server validates every object against the full schema.

export const CHAOS_API_VERSION = 'chaos-mesh.org/v1alpha1';
export const CHAOS_GROUP = 'chaos-mesh.org';
export const CHAOS_VERSION = 'v1alpha1';

export type SelectorMode = 'one' | 'all' | 'fixed' | 'fixed-percent' | 'random-max-percent';
export const SELECTOR_MODES: readonly SelectorMode[] = [
  'one',
  'all',
  'fixed',
  'fixed-percent',
  'random-max-percent',
];

export interface PodSelector {
  namespaces?: string[];
  labelSelectors?: Record<string, string>;
}

/** Which pods an experiment acts on: `mode` (with `value` for fixed and percent modes). */
export interface Selection {
  mode: SelectorMode;
  value?: string;
  selector: PodSelector;
  containerNames?: string[];
}

/** Every experiment: a duration always (tiergate's dead-man switch, counted from creation). */
interface Experiment extends Selection {
  duration: string;
}

export interface PodChaosSpec extends Experiment {
  action: 'pod-kill' | 'pod-failure' | 'container-kill';
  gracePeriod?: number;
}

/**
 * `from` and `both` are about traffic between the selected pods and a `target` set of pods:
 * Chaos Mesh's webhook refuses them without one (networkchaos_webhook.go), so the type does too.
 */
type NetworkPeers =
  | { direction?: 'to'; target?: Omit<Selection, 'containerNames'> }
  | { direction: 'from' | 'both'; target: Omit<Selection, 'containerNames'> };

export type NetworkChaosSpec = Experiment &
  NetworkPeers & {
    action: 'delay' | 'loss' | 'bandwidth' | 'partition' | 'duplicate' | 'corrupt' | 'netem';
    delay?: { latency: string; jitter?: string; correlation?: string };
    loss?: { loss: string; correlation?: string };
    bandwidth?: { rate: string; limit: number; buffer: number };
  };

export interface StressChaosSpec extends Experiment {
  stressors: {
    cpu?: { workers: number; load?: number };
    memory?: { workers: number; size?: string };
  };
}

export interface IOChaosSpec extends Experiment {
  action: 'latency' | 'fault' | 'attrOverride' | 'mistake';
  volumePath: string;
  path?: string;
  delay?: string;
  errno?: number;
  percent?: number;
}

export interface HTTPChaosSpec extends Experiment {
  target: 'Request' | 'Response';
  port: number;
  path?: string;
  method?: string;
  abort?: boolean;
  delay?: string;
  replace?: { code?: number };
}

export interface TimeChaosSpec extends Experiment {
  timeOffset: string;
  clockIds?: string[];
}

export interface DNSChaosSpec extends Experiment {
  action: 'error' | 'random';
  patterns?: string[];
}

/** The spec of each experiment kind, by kind. */
export interface ExperimentSpecs {
  PodChaos: PodChaosSpec;
  NetworkChaos: NetworkChaosSpec;
  StressChaos: StressChaosSpec;
  IOChaos: IOChaosSpec;
  HTTPChaos: HTTPChaosSpec;
  TimeChaos: TimeChaosSpec;
  DNSChaos: DNSChaosSpec;
}

export type ExperimentKind = keyof ExperimentSpecs;

export interface Metadata {
  name: string;
  namespace: string;
  labels: Record<string, string>;
  annotations?: Record<string, string>;
}

export interface ChaosObject<K extends string = string, S = unknown> {
  apiVersion: typeof CHAOS_API_VERSION;
  kind: K;
  metadata: Metadata;
  spec: S;
}

export type ExperimentObject = {
  [K in ExperimentKind]: ChaosObject<K, ExperimentSpecs[K]>;
}[ExperimentKind];

/** Resource names (plurals) of the kinds tiergate creates. */
export const PLURALS: Record<ExperimentKind | 'Schedule' | 'Workflow', string> = {
  PodChaos: 'podchaos',
  NetworkChaos: 'networkchaos',
  StressChaos: 'stresschaos',
  IOChaos: 'iochaos',
  HTTPChaos: 'httpchaos',
  TimeChaos: 'timechaos',
  DNSChaos: 'dnschaos',
  Schedule: 'schedules',
  Workflow: 'workflows',
};

/** The spec field that carries an experiment inside a Schedule or a Workflow template. */
export const EMBEDDED_FIELD: Record<ExperimentKind, string> = {
  PodChaos: 'podChaos',
  NetworkChaos: 'networkChaos',
  StressChaos: 'stressChaos',
  IOChaos: 'ioChaos',
  HTTPChaos: 'httpChaos',
  TimeChaos: 'timeChaos',
  DNSChaos: 'dnsChaos',
};

export interface ScheduleSpec {
  schedule: string;
  type: ExperimentKind;
  concurrencyPolicy?: 'Forbid' | 'Allow';
  historyLimit?: number;
  [embedded: string]: unknown;
}

export interface WorkflowTemplate {
  name: string;
  templateType: 'Serial' | 'Parallel' | 'Suspend' | ExperimentKind;
  children?: string[];
  /** How long the node lasts; for an experiment it replaces the experiment's duration. */
  deadline?: string;
  [embedded: string]: unknown;
}

export interface WorkflowSpec {
  entry: string;
  templates: WorkflowTemplate[];
}
