// A test-only stand-in for the k6-operator controller, which needs a real cluster to run:
// against the real API server it turns each new TestRun in a namespace into `parallelism` local
// k6 processes (the real k6 binary) on their execution segments, as k6-operator's runner Jobs
// would run them, and moves `status.stage` through initialization → initialized → created →
// started → stopped → finished. It creates the initializer Job, the runner Jobs and their
// Services with the operator's names, labels and owner reference (so the API server checks
// their names), sets each Job's status from its process's exit (nothing runs the Jobs here),
// reaches `finished` even when a runner failed (as k6-operator does), honours `cleanup: post`
// after `finished` or `error` by deleting the TestRun at once, and stops the processes when the
// TestRun is deleted, deleting its Jobs and Services as the garbage collector would.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  BatchV1Api,
  CoreV1Api,
  CustomObjectsApi,
  type KubeConfig,
  type V1Job,
} from '@kubernetes/client-node';
import { K6Process } from '../../runner/engines/k6/process.ts';
import { freePort } from '../../runner/engines/k6/rest.ts';
import {
  TESTRUN_GROUP,
  TESTRUN_PLURAL,
  TESTRUN_VERSION,
  type TestRunManifest,
} from '../../runner/engines/k6-operator/manifests.ts';
import { kubeStatus } from '../../runner/kube/client.ts';

interface TestRun extends TestRunManifest {
  metadata: TestRunManifest['metadata'] & { uid: string };
  status?: { stage?: string };
}

/** What one runner did, from its own `--out json` stream: the truth to compare tiergate with. */
export interface RunnerRecord {
  /** 1-based, as k6-operator's `instance_id` tag. */
  instance: number;
  /** http_req_duration samples (ms), one per completed request. */
  latenciesMs: number[];
  /** The same samples' times (epoch ms on the runner's clock): when each request ended. */
  endsMs: number[];
  exitCode: number | null;
}

export interface ControllerOptions {
  kc: KubeConfig;
  namespace: string;
  /** The k6 binary. */
  k6: string;
  /** Runner `instance` (1-based) is SIGKILLed this long after the start: its Job fails. */
  killRunner?: { instance: number; afterMs: number };
  /** Runner `instance`'s Job fails at the very end: after `stopped`, just before `finished`. */
  failRunnerAtEnd?: number;
  /** The initializer Job fails (as when `k6 inspect` refuses the script): stage `error`. */
  failInitializer?: boolean;
}

export interface TestK6Operator {
  /** The runners of each TestRun handled, by TestRun name. */
  readonly runners: Map<string, RunnerRecord[]>;
  /** The stages each TestRun was moved through, by TestRun name. */
  readonly stages: Map<string, string[]>;
  /** Problems the controller met (a test expects none). */
  readonly errors: string[];
  stop(): Promise<void>;
}

const POLL_MS = 250;
/**
 * k6-operator sets `started` right after it creates the starter Job; the starter's Pod is then
 * scheduled, pulls its image and PATCHes each runner's /v1/status in turn, seconds later.
 */
export const STARTER_DELAY_MS = 2500;

export function startK6OperatorController(o: ControllerOptions): TestK6Operator {
  const custom = o.kc.makeApiClient(CustomObjectsApi);
  const core = o.kc.makeApiClient(CoreV1Api);
  const batch = o.kc.makeApiClient(BatchV1Api);
  const ref = {
    group: TESTRUN_GROUP,
    version: TESTRUN_VERSION,
    plural: TESTRUN_PLURAL,
    namespace: o.namespace,
  };
  const runners = new Map<string, RunnerRecord[]>();
  const errors: string[] = [];
  const stages = new Map<string, string[]>();
  const live = new Map<string, { name: string; processes: K6Process[]; deleted: boolean }>();
  let stopped = false;

  const setStage = async (name: string, stage: string): Promise<void> => {
    try {
      const run = (await custom.getNamespacedCustomObject({ ...ref, name })) as TestRun;
      run.status = { ...run.status, stage };
      await custom.replaceNamespacedCustomObjectStatus({ ...ref, name, body: run });
      stages.set(name, [...(stages.get(name) ?? []), stage]);
    } catch (err) {
      if (kubeStatus(err) !== 404) throw err;
    }
  };

  /** What the garbage collector does to a deleted TestRun's children. */
  const deleteChildren = async (name: string): Promise<void> => {
    await batch.deleteCollectionNamespacedJob({
      namespace: o.namespace,
      labelSelector: `k6_cr=${name}`,
    });
    const services = await core.listNamespacedService({
      namespace: o.namespace,
      labelSelector: `k6_cr=${name}`,
    });
    for (const svc of services.items) {
      await core.deleteNamespacedService({ namespace: o.namespace, name: svc.metadata!.name! });
    }
  };

  const ownedMeta = (run: TestRun, name: string, labels: Record<string, string>) => ({
    name,
    namespace: o.namespace,
    labels,
    ownerReferences: [
      {
        apiVersion: run.apiVersion,
        kind: 'TestRun',
        name: run.metadata.name,
        uid: run.metadata.uid,
        controller: true,
        blockOwnerDeletion: true,
      },
    ],
  });

  // As k6-operator's pkg/resources/jobs: `<name>-initializer`, `<name>-<i>`, `<name>-service-<i>`.
  const job = (
    run: TestRun,
    name: string,
    pod: TestRun['spec']['runner'],
    extra: Record<string, string>,
  ): V1Job => {
    const labels = { ...pod.metadata.labels, app: 'k6', k6_cr: run.metadata.name, ...extra };
    return {
      metadata: ownedMeta(run, name, labels),
      spec: {
        backoffLimit: 0,
        template: {
          metadata: { labels },
          spec: { restartPolicy: 'Never', containers: [{ name: 'k6', image: pod.image }] },
        },
      },
    };
  };

  const createRunner = async (run: TestRun, instance: number): Promise<void> => {
    const name = `${run.metadata.name}-${instance}`;
    await batch.createNamespacedJob({
      namespace: o.namespace,
      body: job(run, name, run.spec.runner, { runner: 'true' }),
    });
    await core.createNamespacedService({
      namespace: o.namespace,
      body: {
        metadata: ownedMeta(run, `${run.metadata.name}-service-${instance}`, {
          app: 'k6',
          k6_cr: run.metadata.name,
          runner: 'true',
        }),
        spec: { selector: { 'job-name': name }, ports: [{ name: 'http-api', port: 6565 }] },
      },
    });
  };

  const finishJob = async (name: string, failed: boolean): Promise<void> => {
    const job = await batch.readNamespacedJob({ name, namespace: o.namespace });
    job.status = {
      ...job.status,
      startTime: job.status?.startTime ?? new Date(),
      ...(failed ? { failed: 1 } : { succeeded: 1 }),
    };
    await batch.replaceNamespacedJobStatus({ name, namespace: o.namespace, body: job });
  };

  async function handle(run: TestRun): Promise<void> {
    const name = run.metadata.name;
    const entry = live.get(run.metadata.uid)!;
    const count = run.spec.parallelism;
    const ended = async (stage: 'finished' | 'error'): Promise<void> => {
      await setStage(name, stage);
      if (run.spec.cleanup !== 'post') return;
      // k6-operator deletes the TestRun in the next reconcile; its children go with it.
      entry.deleted = true;
      // tiergate may have deleted it first (its own cleanup on seeing `error`): fine, as upstream.
      await custom.deleteNamespacedCustomObject({ ...ref, name }).catch((err: unknown) => {
        if (kubeStatus(err) !== 404) throw err;
      });
      await deleteChildren(name);
    };
    await setStage(name, 'initialization');
    const initializer = `${name}-initializer`;
    await batch.createNamespacedJob({
      namespace: o.namespace,
      body: job(run, initializer, run.spec.initializer, {}),
    });
    if (o.failInitializer) {
      await finishJob(initializer, true);
      await ended('error');
      return;
    }
    await finishJob(initializer, false);
    const dir = await mkdtemp(join(tmpdir(), 'tiergate-k6op-'));
    try {
      const map = await core.readNamespacedConfigMap({
        name: run.spec.script.configMap.name,
        namespace: o.namespace,
      });
      const script = join(dir, run.spec.script.configMap.file);
      await writeFile(script, map.data?.[run.spec.script.configMap.file] ?? '');
      await setStage(name, 'initialized');
      for (let i = 1; i <= count; i++) await createRunner(run, i);
      await setStage(name, 'created');

      const records: RunnerRecord[] = [];
      runners.set(name, records);
      const env = Object.fromEntries(run.spec.runner.env.map((e) => [e.name, e.value]));
      for (let i = 0; i < count; i++) {
        const record: RunnerRecord = {
          instance: i + 1,
          latenciesMs: [],
          endsMs: [],
          exitCode: null,
        };
        records.push(record);
        entry.processes.push(
          new K6Process({
            binary: o.k6,
            script,
            index: i,
            count,
            address: `127.0.0.1:${await freePort()}`,
            summaryFile: join(dir, `summary-${i + 1}.json`),
            extraArgs: [
              ...run.spec.arguments.split(/\s+/).filter(Boolean),
              '--tag',
              `instance_id=${i + 1}`,
              '--tag',
              `testrun_name=${name}`,
            ],
            extraEnv: env,
            onLine: (line) => {
              if (!line.startsWith('{"metric":"http_req_duration"')) return;
              const point = JSON.parse(line) as {
                type: string;
                data: { time: string; value: number };
              };
              if (point.type !== 'Point') return;
              record.latenciesMs.push(point.data.value);
              record.endsMs.push(Date.parse(point.data.time));
            },
          }),
        );
      }
      const ready = await Promise.all(entry.processes.map((p) => p.ready(60_000)));
      if (entry.deleted) return;
      if (ready.some((r) => r !== 'ready')) {
        errors.push(
          `${name}: a runner did not get ready: ${entry.processes.map((p) => p.errorText()).join('; ')}`,
        );
        await ended('error');
        return;
      }
      await setStage(name, 'started');
      await new Promise((r) => setTimeout(r, STARTER_DELAY_MS));
      if (entry.deleted) return;
      // The starter: one runner after the other, as its curl commands do.
      for (const p of entry.processes) await p.resume();
      const kill = o.killRunner;
      if (kill) setTimeout(() => entry.processes[kill.instance - 1]?.kill(), kill.afterMs).unref();

      await Promise.all(
        entry.processes.map(async (p, i) => {
          const { code } = await p.closed;
          records[i]!.exitCode = code;
          if (entry.deleted || o.failRunnerAtEnd === i + 1) return;
          await finishJob(`${name}-${i + 1}`, code !== 0);
        }),
      );
      if (entry.deleted) return;
      await setStage(name, 'stopped');
      if (o.failRunnerAtEnd) await finishJob(`${name}-${o.failRunnerAtEnd}`, true);
      // Like k6-operator: finished, however many runner Jobs failed.
      await ended('finished');
    } finally {
      for (const p of entry.processes) p.kill();
      await Promise.all(entry.processes.map((p) => p.closed));
      await rm(dir, { recursive: true, force: true });
    }
  }

  const loop = (async () => {
    while (!stopped) {
      try {
        const list = (await custom.listNamespacedCustomObject(ref)) as { items: TestRun[] };
        const present = new Set(list.items.map((r) => r.metadata.uid));
        for (const run of list.items) {
          if (live.has(run.metadata.uid) || run.status?.stage !== undefined) continue;
          live.set(run.metadata.uid, { name: run.metadata.name, processes: [], deleted: false });
          handle(run).catch((err: Error) => errors.push(`${run.metadata.name}: ${err.message}`));
        }
        for (const [uid, entry] of live) {
          if (present.has(uid) || entry.deleted) continue;
          // Deleted: its runner Pods get SIGTERM; k6 stops and flushes its outputs.
          entry.deleted = true;
          for (const p of entry.processes) p.interrupt();
          await deleteChildren(entry.name);
        }
      } catch (err) {
        errors.push((err as Error).message);
      }
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
  })();

  return {
    runners,
    stages,
    errors,
    async stop() {
      stopped = true;
      await loop;
      for (const entry of live.values()) for (const p of entry.processes) p.kill();
      await Promise.all([...live.values()].flatMap((e) => e.processes.map((p) => p.closed)));
    },
  };
}
