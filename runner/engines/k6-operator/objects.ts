// One run's objects on the cluster: the ConfigMap and the TestRun (created, read, deleted) and
// the runner Jobs k6-operator makes for it (labelled `k6_cr=<TestRun>`, `runner=true`, as in
// k6-operator's pkg/resources/jobs/runner.go).
import {
  BatchV1Api,
  CoreV1Api,
  CustomObjectsApi,
  type KubeConfig,
  type V1Job,
} from '@kubernetes/client-node';
import { kubeStatus } from '../../kube/client.ts';
import {
  type OperatorManifests,
  TESTRUN_GROUP,
  TESTRUN_PLURAL,
  TESTRUN_VERSION,
} from './manifests.ts';

export interface TestRunState {
  /** `status.stage`; undefined before the operator has looked at it. */
  stage: string | undefined;
  /** The object is gone (deleted by us, by `cleanup: post`, or by someone). */
  gone: boolean;
  /** Condition messages, for an error stage. */
  conditions: string[];
}

interface TestRunObject {
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

  constructor(
    kc: KubeConfig,
    readonly namespace: string,
    readonly name: string,
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

  /** The ConfigMap first: the operator's initializer reads the script as soon as the TestRun is there. */
  async create(m: OperatorManifests): Promise<void> {
    await this.core.createNamespacedConfigMap({ namespace: this.namespace, body: m.configMap });
    await this.custom.createNamespacedCustomObject({ ...this.ref, body: m.testRun });
  }

  async state(): Promise<TestRunState> {
    try {
      const run = (await this.custom.getNamespacedCustomObject({
        ...this.ref,
        name: this.name,
      })) as TestRunObject;
      const conditions = (run.status?.conditions ?? [])
        .filter((c) => c.message)
        .map((c) => `${c.type}: ${c.message}`);
      return { stage: run.status?.stage, gone: false, conditions };
    } catch (err) {
      if (kubeStatus(err) === 404) return { stage: undefined, gone: true, conditions: [] };
      throw err;
    }
  }

  /** Names of the runner Jobs that failed. */
  async failedRunners(): Promise<string[]> {
    const jobs = await this.batch.listNamespacedJob({
      namespace: this.namespace,
      labelSelector: `k6_cr=${this.name},runner=true`,
    });
    return jobs.items.filter(jobFailed).map((j) => `${this.namespace}/${j.metadata?.name}`);
  }

  /** Deleting the TestRun stops its runners (their Jobs are its children). */
  async deleteTestRun(): Promise<void> {
    await gone(() =>
      this.custom.deleteNamespacedCustomObject({
        ...this.ref,
        name: this.name,
        propagationPolicy: 'Background',
      }),
    );
  }

  async deleteAll(): Promise<void> {
    await this.deleteTestRun();
    await gone(() =>
      this.core.deleteNamespacedConfigMap({ namespace: this.namespace, name: this.name }),
    );
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
