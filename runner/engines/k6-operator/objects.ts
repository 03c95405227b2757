// One run's objects on the cluster: the Secret, ConfigMap and TestRun (created, followed, deleted)
// and the runner Jobs k6-operator makes for it (labelled `k6_cr=<TestRun>`, `runner=true`, as in
// k6-operator's pkg/resources/jobs/runner.go). Both are followed by list + watch from before
// the creation on: k6-operator deletes a TestRun with `cleanup: post` right after `finished`
// (its Jobs go with it), and the last stage and every runner failure must still be known.
import {
  BatchV1Api,
  CoreV1Api,
  CustomObjectsApi,
  type KubeConfig,
  type V1Job,
} from '@kubernetes/client-node';
import { UsageError } from '../../../core/errors.ts';
import { kubeStatus } from '../../kube/client.ts';
import {
  type OperatorManifests,
  TESTRUN_GROUP,
  TESTRUN_PLURAL,
  TESTRUN_VERSION,
} from './manifests.ts';
import { type Change, type Listed, ListWatch } from './watch.ts';

export interface TestRunState {
  /** The last `status.stage` seen (a deleted TestRun's last one too); undefined before any. */
  stage: string | undefined;
  /** `finished` was seen. */
  finished: boolean;
  /** The TestRun is gone (deleted by us, by `cleanup: post`, or by someone). */
  gone: boolean;
  /** When it was first seen gone (Date.now()). */
  goneAtMs: number | undefined;
  /** Condition messages, for an error stage. */
  conditions: string[];
  /** Runner Jobs seen failed (`<namespace>/<name>`), deleted ones included. */
  failedRunners: Set<string>;
}

interface TestRunObject {
  metadata?: { name?: string; resourceVersion?: string };
  status?: {
    stage?: string;
    conditions?: { type: string; status: string; reason?: string; message?: string }[];
  };
}

/** A runner Job failed: a failed Pod counted, or the Job's Failed condition. */
export function jobFailed(job: V1Job): boolean {
  if ((job.status?.failed ?? 0) > 0) return true;
  return job.status?.conditions?.some((c) => c.type === 'Failed' && c.status === 'True') ?? false;
}

export class RunObjects {
  private readonly custom: CustomObjectsApi;
  private readonly core: CoreV1Api;
  private readonly batch: BatchV1Api;
  private readonly ref: { group: string; version: string; plural: string; namespace: string };
  private readonly created = { secret: false, configMap: false, testRun: false };
  private watches: { stop(): void; lastError: Error | undefined }[] = [];
  readonly state: TestRunState = {
    stage: undefined,
    finished: false,
    gone: false,
    goneAtMs: undefined,
    conditions: [],
    failedRunners: new Set(),
  };

  constructor(
    private readonly kc: KubeConfig,
    readonly namespace: string,
    readonly name: string,
    private readonly runId: string,
  ) {
    this.custom = kc.makeApiClient(CustomObjectsApi);
    this.core = kc.makeApiClient(CoreV1Api);
    this.batch = kc.makeApiClient(BatchV1Api);
    this.ref = {
      group: TESTRUN_GROUP,
      version: TESTRUN_VERSION,
      plural: TESTRUN_PLURAL,
      namespace,
    };
  }

  get label(): string {
    return `${this.namespace}/${this.name}`;
  }

  /** Starts following the TestRun and its runner Jobs; `changed` hears each TestRun change. */
  async follow(changed: (state: TestRunState) => void): Promise<void> {
    const ns = this.namespace;
    const testRuns = new ListWatch<TestRunObject>(
      this.kc,
      {
        path: `/apis/${TESTRUN_GROUP}/${TESTRUN_VERSION}/namespaces/${ns}/${TESTRUN_PLURAL}`,
        selector: { fieldSelector: `metadata.name=${this.name}` },
        list: async () =>
          (await this.custom.listNamespacedCustomObject({
            ...this.ref,
            fieldSelector: `metadata.name=${this.name}`,
          })) as Listed<TestRunObject>,
      },
      (change, run) => {
        this.seenTestRun(change, run);
        changed(this.state);
      },
    );
    const labelSelector = `k6_cr=${this.name},runner=true`;
    const jobs = new ListWatch<V1Job>(
      this.kc,
      {
        path: `/apis/batch/v1/namespaces/${ns}/jobs`,
        selector: { labelSelector },
        list: () => this.batch.listNamespacedJob({ namespace: ns, labelSelector }),
      },
      (_change, job) => {
        if (jobFailed(job)) this.state.failedRunners.add(`${ns}/${job.metadata?.name}`);
      },
    );
    this.watches = [testRuns, jobs];
    await Promise.all([testRuns.start(), jobs.start()]);
  }

  stopFollowing(): void {
    for (const w of this.watches) w.stop();
  }

  /** Why the watch is not running, while it is being re-established. */
  get followError(): Error | undefined {
    return this.watches.find((w) => w.lastError)?.lastError;
  }

  private seenTestRun(change: Change, run: TestRunObject): void {
    const s = this.state;
    const stage = run.status?.stage;
    if (stage !== undefined) s.stage = stage;
    if (stage === 'finished') s.finished = true;
    s.conditions = (run.status?.conditions ?? [])
      .filter((c) => c.message)
      .map((c) => `${c.type}: ${c.message}`);
    if (change === 'DELETED' && !s.gone) {
      s.gone = true;
      s.goneAtMs = Date.now();
    }
  }

  /**
   * The ConfigMap first: the operator's initializer reads the script as soon as the TestRun is
   * there. An object of that name already there (a reused --run-id) is left alone.
   */
  async create(m: OperatorManifests): Promise<void> {
    const secret = m.secret;
    if (secret) {
      // Before the runners that reference it: a pod whose secretKeyRef is missing cannot start.
      await this.exclusive('Secret', () =>
        this.core.createNamespacedSecret({ namespace: this.namespace, body: secret }),
      );
      this.created.secret = true;
    }
    await this.exclusive('ConfigMap', () =>
      this.core.createNamespacedConfigMap({ namespace: this.namespace, body: m.configMap }),
    );
    this.created.configMap = true;
    await this.exclusive('TestRun', () =>
      this.custom.createNamespacedCustomObject({ ...this.ref, body: m.testRun }),
    );
    this.created.testRun = true;
  }

  private async exclusive(kind: string, create: () => Promise<unknown>): Promise<void> {
    try {
      await create();
    } catch (err) {
      if (kubeStatus(err) !== 409) throw err;
      // The user's --run-id names objects that exist: bad usage, and nothing has run yet.
      throw new UsageError(
        `${kind} ${this.label} already exists (an earlier run with --run-id ${this.runId}?)`,
        `use another --run-id, or remove the earlier run's objects: tiergate chaos cleanup --run-id ${this.runId}`,
      );
    }
  }

  /** Deleting the TestRun stops its runners (their Jobs are its children). */
  async deleteTestRun(): Promise<void> {
    if (!this.created.testRun) return;
    await gone(() =>
      this.custom.deleteNamespacedCustomObject({
        ...this.ref,
        name: this.name,
        propagationPolicy: 'Background',
      }),
    );
  }

  /** Deletes what this run created, nothing else. */
  async deleteCreated(): Promise<void> {
    await this.deleteTestRun();
    if (this.created.configMap) {
      await gone(() =>
        this.core.deleteNamespacedConfigMap({ namespace: this.namespace, name: this.name }),
      );
    }
    if (this.created.secret) {
      await gone(() =>
        this.core.deleteNamespacedSecret({ namespace: this.namespace, name: this.name }),
      );
    }
  }
}

/** Runs a delete; an object already gone is fine. */
async function gone(del: () => Promise<unknown>): Promise<void> {
  try {
    await del();
  } catch (err) {
    if (kubeStatus(err) !== 404) throw err;
  }
}
