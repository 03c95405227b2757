// A plan as the objects k6-operator runs: a ConfigMap holding the bundled k6 script, a Secret
// with the plan's secrets (when it has any; the script reads them from the runners' env), and a
// `k6.io/v1alpha1` TestRun that splits it across `parallelism` runners. Field names follow the
// CRD in test/kube/crds/k6.io_testruns.yaml (k6-operator v1.6.0).

import { UsageError } from '../../../core/errors.ts';
import { compileScenarios } from '../../../scenarios/lib/executors.ts';
import type { LoadPlan } from '../../../thresholds/model.ts';
import { REDACTED } from '../../../thresholds/redact.ts';
import { boundedName, labelValue, runLabels } from '../../kube/labels.ts';
import { yamlStream } from '../../kube/yaml.ts';
import { bundlePlan, secretEnv } from '../k6/bundle.ts';
import { checkedOptions } from '../k6/checked-options.ts';
import { K6_VERIFIED_VERSION } from '../k6/pinned.ts';

export const TESTRUN_GROUP = 'k6.io';
export const TESTRUN_VERSION = 'v1alpha1';
export const TESTRUN_PLURAL = 'testruns';
export const SCRIPT_FILE = 'plan.js';
/**
 * How often runners push to Prometheus: a push's requests land in the second it is stamped in,
 * so this is how late a request may be placed (half a second keeps a 10 s window within 5 %).
 */
export const PUSH_INTERVAL_S = 0.5;
/** A ConfigMap holds at most 1 MiB. */
const CONFIGMAP_MAX_BYTES = 1024 * 1024;
/** The tags k6 keeps on samples: fewer tags, fewer Prometheus series (no per-URL series). */
const SYSTEM_TAGS = 'scenario,name,status,expected_response,error_code';
/** Job and Service names longer than this are refused (they become label values or DNS labels). */
const CHILD_NAME_MAX = 63;
/** k6-operator defaults to grafana/k6:latest, whatever k6 that is today: pin the one tested. */
export const DEFAULT_RUNNER_IMAGE = `grafana/k6:${K6_VERIFIED_VERSION.replace(/^v/, '')}`;

export interface OperatorSettings {
  runId: string;
  namespace: string;
  parallelism: number;
  /** Prometheus as the runners reach it: they remote-write to `<url>/api/v1/write`. */
  prometheusUrl: string;
  /** Leave the TestRun for people to inspect (no `cleanup: post`). */
  keep: boolean;
  /** The k6 image of the runners and the initializer. */
  image: string;
}

export interface ConfigMapManifest {
  apiVersion: 'v1';
  kind: 'ConfigMap';
  metadata: { name: string; namespace: string; labels: Record<string, string> };
  data: Record<string, string>;
}

export interface TestRunManifest {
  apiVersion: `${typeof TESTRUN_GROUP}/${typeof TESTRUN_VERSION}`;
  kind: 'TestRun';
  metadata: { name: string; namespace: string; labels: Record<string, string> };
  spec: {
    parallelism: number;
    script: { configMap: { name: string; file: string } };
    arguments: string;
    cleanup?: 'post';
    runner: PodSpec;
    starter: { metadata: { labels: Record<string, string> } };
    initializer: PodSpec;
  };
}

/** The plan's secrets (thresholds/redact.ts), one key per environment variable the script reads. */
export interface SecretManifest {
  apiVersion: 'v1';
  kind: 'Secret';
  metadata: { name: string; namespace: string; labels: Record<string, string> };
  type: 'Opaque';
  /** base64 values, as the API stores them. */
  data: Record<string, string>;
}

/**
 * A container env entry: a plain `value`, or `valueFrom` a key of the run's Secret (its `value`
 * then stays empty, which Kubernetes allows beside `valueFrom` and drops when it stores it).
 */
interface EnvVar {
  name: string;
  value: string;
  valueFrom?: { secretKeyRef: { name: string; key: string } };
}

interface PodSpec {
  image: string;
  metadata: { labels: Record<string, string> };
  env: EnvVar[];
}

export interface OperatorManifests {
  configMap: ConfigMapManifest;
  /** Present when the plan has secrets: the runners' env references it, the script reads it. */
  secret?: SecretManifest;
  testRun: TestRunManifest;
}

/** The `testid` tag every sample of the run carries, and the one Prometheus is queried by. */
export function testId(runId: string): string {
  return labelValue(runId);
}

/**
 * Both objects have this name (different kinds): `tg-<run id>`, short enough that k6-operator's
 * `<name>-initializer` Job and `<name>-service-<n>` Services fit (k6-operator's
 * pkg/resources/jobs).
 */
export function testRunName(runId: string, parallelism: number): string {
  const suffix = Math.max('-initializer'.length, `-service-${parallelism}`.length);
  return boundedName(CHILD_NAME_MAX - suffix, 'tg', runId);
}

/**
 * The most VUs the plan's k6 options hold at once when run by one process (arrival-rate
 * scenarios: their maxVUs; ramping-vus: their largest stage). Phases run one after another.
 */
export function planMaxVus(plan: LoadPlan): number {
  const { scenarios } = compileScenarios(plan, { generators: 1 });
  let most = 0;
  for (const s of Object.values(scenarios)) {
    const vus =
      s.executor === 'ramping-vus'
        ? Math.max(s.startVUs, ...s.stages.map((st) => st.target))
        : s.maxVUs;
    most = Math.max(most, vus);
  }
  return most;
}

/**
 * k6-operator splits VUs across runners by execution segment and puts a TestRun whose
 * parallelism exceeds the script's VUs in stage `error`; a runner without VUs would also break
 * the plan's in-flight cap. Refused here, before anything is created.
 */
export function checkParallelism(plan: LoadPlan, parallelism: number): void {
  const vus = planMaxVus(plan);
  if (parallelism > vus) {
    throw new UsageError(
      `--parallelism ${parallelism} is more than the plan's ${vus} VUs: every k6-operator runner needs at least one VU`,
      `use --parallelism ${Math.max(1, vus)} or less, or give the plan more VUs (--vus, --max-in-flight)`,
    );
  }
}

/**
 * The runners' k6 arguments. `--no-thresholds`: each runner sees 1/N of the load, so k6's
 * thresholds would judge a fraction (and a runner exiting 99 would look like a failed Job);
 * the gate is tiergate's, over every runner. The bundle's handleSummary writes nothing without
 * TIERGATE_SUMMARY, so runners print no per-runner summary either.
 */
function runnerArguments(runId: string): string {
  return [
    '--out experimental-prometheus-rw',
    `--tag testid=${testId(runId)}`,
    `--system-tags ${SYSTEM_TAGS}`,
    '--no-thresholds',
  ].join(' ');
}

function runnerEnv(prometheusUrl: string): { name: string; value: string }[] {
  return [
    {
      name: 'K6_PROMETHEUS_RW_SERVER_URL',
      value: `${prometheusUrl.replace(/\/+$/, '')}/api/v1/write`,
    },
    { name: 'K6_PROMETHEUS_RW_TREND_AS_NATIVE_HISTOGRAM', value: 'true' },
    { name: 'K6_PROMETHEUS_RW_PUSH_INTERVAL', value: `${PUSH_INTERVAL_S * 1000}ms` },
  ];
}

export async function buildManifests(
  plan: LoadPlan,
  s: OperatorSettings,
): Promise<OperatorManifests> {
  checkParallelism(plan, s.parallelism);
  checkedOptions(plan, { abortOnFail: false, generators: s.parallelism });
  const script = await bundlePlan(plan, {
    mode: 'engine',
    generators: s.parallelism,
    reportStart: true,
  });
  const bytes = Buffer.byteLength(script);
  if (bytes > CONFIGMAP_MAX_BYTES) {
    throw new UsageError(
      `the bundled k6 script is ${bytes} bytes: a ConfigMap holds at most ${CONFIGMAP_MAX_BYTES}`,
      'shorten the journey (fewer or smaller request bodies)',
    );
  }
  const name = testRunName(s.runId, s.parallelism);
  const labels = runLabels(s.runId);
  const meta = { name, namespace: s.namespace, labels };
  const secrets = secretEnv(plan);
  // Never in the ConfigMap: a Secret, read by the runners (and the initializer, which runs the
  // script's init too) through secretKeyRef.
  const fromSecret: EnvVar[] = Object.keys(secrets).map((key) => ({
    name: key,
    value: '',
    valueFrom: { secretKeyRef: { name, key } },
  }));
  const pod: PodSpec = {
    image: s.image,
    metadata: { labels: { ...labels } },
    env: [...runnerEnv(s.prometheusUrl), ...fromSecret],
  };
  const secret: SecretManifest | undefined =
    fromSecret.length === 0
      ? undefined
      : {
          apiVersion: 'v1',
          kind: 'Secret',
          metadata: { ...meta, labels: { ...labels } },
          type: 'Opaque',
          data: Object.fromEntries(
            Object.entries(secrets).map(([k, v]) => [k, Buffer.from(v).toString('base64')]),
          ),
        };
  return {
    configMap: {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: meta,
      data: { [SCRIPT_FILE]: script },
    },
    ...(secret ? { secret } : {}),
    testRun: {
      apiVersion: `${TESTRUN_GROUP}/${TESTRUN_VERSION}`,
      kind: 'TestRun',
      metadata: { ...meta, labels: { ...labels } },
      spec: {
        parallelism: s.parallelism,
        script: { configMap: { name, file: SCRIPT_FILE } },
        arguments: runnerArguments(s.runId),
        ...(s.keep ? {} : { cleanup: 'post' as const }),
        runner: pod,
        starter: { metadata: { labels: { ...labels } } },
        // k6-operator copies the runner into a missing initializer only: set it the same.
        initializer: structuredClone(pod),
      },
    },
  };
}

/**
 * The objects as a multi-document YAML stream (`kubectl apply -f -` reads it). What is printed
 * shows no secret: the Secret's values are `[redacted]` (in `stringData`), to be filled in.
 */
export function manifestsYaml(m: OperatorManifests): string {
  const { data, ...secret } = m.secret ?? { data: {} };
  const shown = m.secret
    ? [{ ...secret, stringData: Object.fromEntries(Object.keys(data).map((k) => [k, REDACTED])) }]
    : [];
  return yamlStream([...shown, m.configMap, m.testRun]);
}
