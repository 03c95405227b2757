// Chaos Mesh manifests against the real API server with Chaos Mesh's CRDs: every built-in game
// day's experiments, and every kind's builder, are accepted as tiergate renders them; the server
// does validate (a wrong mode is refused); `--dry-run` prints exactly the objects, and nothing
// else, without a cluster.
import { CustomObjectsApi } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { experiment, schedule, workflow } from '../chaos/chaos-mesh/builders.ts';
import { deadManDurationS, planChaosMesh } from '../chaos/chaos-mesh/manifests.ts';
import type { ChaosMeshTarget } from '../chaos/chaos-mesh/target.ts';
import {
  CHAOS_GROUP,
  CHAOS_VERSION,
  type ChaosObject,
  PLURALS,
} from '../chaos/chaos-mesh/types.ts';
import { kubeStatus } from '../runner/kube/client.ts';
import { MANAGED_BY_LABEL, RUN_ID_LABEL, runLabels } from '../runner/kube/labels.ts';
import { BUILTIN_GAMEDAYS } from '../thresholds/gamedays/builtin.ts';
import { tiergate } from './helpers/cli.ts';
import { type KubeApi, startKubeApi } from './helpers/kube-api.ts';

const target: ChaosMeshTarget = {
  namespace: 'shop',
  labels: { app: 'checkout' },
  mode: 'one',
  port: 8080,
  volumePath: '/var/lib/data',
  allowWideBlast: false,
};

const meta = (name: string) => ({ name, namespace: 'shop', labels: runLabels('builders') });
const selection = {
  mode: 'one' as const,
  selector: { namespaces: ['shop'], labelSelectors: { app: 'checkout' } },
  duration: '30s',
};

/** One object of every kind tiergate can build. */
const everyKind: ChaosObject[] = [
  experiment('PodChaos', meta('b-pod'), {
    ...selection,
    action: 'container-kill',
    containerNames: ['app'],
  }),
  experiment('NetworkChaos', meta('b-net'), {
    ...selection,
    action: 'loss',
    direction: 'both',
    target: { mode: 'all', selector: { namespaces: ['shop'], labelSelectors: { app: 'db' } } },
    loss: { loss: '25', correlation: '0' },
  }),
  experiment('StressChaos', meta('b-stress'), {
    ...selection,
    stressors: { cpu: { workers: 2, load: 50 }, memory: { workers: 1, size: '64MB' } },
  }),
  experiment('IOChaos', meta('b-io'), {
    ...selection,
    action: 'fault',
    volumePath: '/data',
    path: '/data/**',
    errno: 5,
    percent: 50,
  }),
  experiment('HTTPChaos', meta('b-http'), {
    ...selection,
    target: 'Request',
    port: 80,
    path: '/checkout',
    method: 'POST',
    delay: '1s',
  }),
  experiment('TimeChaos', meta('b-time'), {
    ...selection,
    timeOffset: '-10m',
    clockIds: ['CLOCK_REALTIME'],
  }),
  experiment('DNSChaos', meta('b-dns'), {
    ...selection,
    action: 'error',
    patterns: ['payments.*'],
  }),
  schedule(meta('b-schedule'), '@every 10m', 'PodChaos', { ...selection, action: 'pod-kill' }),
  workflow(meta('b-workflow'), [
    {
      name: 'slow',
      waitS: 20,
      kind: 'NetworkChaos',
      spec: { ...selection, action: 'delay', delay: { latency: '200ms' } },
      holdS: 20,
    },
    {
      name: 'kill',
      waitS: 10,
      kind: 'PodChaos',
      spec: { ...selection, action: 'pod-kill' },
      holdS: 5,
    },
  ]),
];

describe('Chaos Mesh manifests on a real API server', () => {
  let kube: KubeApi;
  let custom: CustomObjectsApi;
  beforeAll(async () => {
    kube = await startKubeApi();
    await kube.createNamespace('shop');
    custom = kube.kc.makeApiClient(CustomObjectsApi);
  }, 120_000);
  afterAll(async () => kube?.stop());

  const create = (o: ChaosObject) =>
    custom.createNamespacedCustomObject({
      group: CHAOS_GROUP,
      version: CHAOS_VERSION,
      namespace: 'shop',
      plural: PLURALS[o.kind as keyof typeof PLURALS],
      body: o,
    });

  it('accepts every built-in game day as Chaos Mesh experiments', async () => {
    for (const g of BUILTIN_GAMEDAYS) {
      const { experiments } = planChaosMesh(g, target, `accept-${g.id}`);
      expect(experiments.length).toBe(g.faults.length);
      for (const { object, fault } of experiments) {
        await expect(create(object), `${g.id}: ${object.kind}`).resolves.toMatchObject({
          kind: object.kind,
        });
        expect(object.spec.duration).toBe(`${deadManDurationS(fault.holdS, 30)}s`);
        expect(object.metadata.labels[RUN_ID_LABEL]).toBe(`accept-${g.id}`);
      }
    }
  });

  it('accepts every kind the builders make, Schedule and Workflow included', async () => {
    for (const o of everyKind) {
      await expect(create(o), o.kind).resolves.toMatchObject({ kind: o.kind });
    }
  });

  it('validates: an experiment the schema forbids is refused by the server', async () => {
    const bad = {
      ...everyKind[0]!,
      metadata: meta('bad'),
      spec: { ...(everyKind[0]!.spec as object), mode: 'bogus' },
    };
    const err = await create(bad).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(kubeStatus(err)).toBe(422);
    expect(String((err as { body?: unknown }).body)).toContain('spec.mode');
  });
});

describe('tiergate gameday --chaos chaos-mesh --dry-run (no cluster)', () => {
  const dryRun = (fault: string, ...more: string[]) =>
    tiergate([
      'gameday',
      '--chaos',
      'chaos-mesh',
      '--namespace',
      'shop',
      '--selector',
      'app=checkout',
      '--fault',
      fault,
      '--run-id',
      `dry-${fault}`,
      '--dry-run',
      ...more,
    ]);

  it('prints each built-in game day as a YAML stream, and nothing else on stdout', async () => {
    for (const g of BUILTIN_GAMEDAYS) {
      const r = await dryRun(
        g.id,
        '--volume-path',
        '/var/lib/data',
        '--kubeconfig',
        '/nonexistent',
      );
      expect(r.code, r.stderr).toBe(0);
      const docs = parseAllDocuments(r.stdout).map(
        (d) => d.toJS() as ChaosObject & { spec: { duration: string } },
      );
      expect(docs).toHaveLength(g.faults.length);
      for (const doc of docs) {
        expect(doc.apiVersion).toBe('chaos-mesh.org/v1alpha1');
        expect(doc.metadata.labels[MANAGED_BY_LABEL]).toBe('tiergate');
        expect(doc.metadata.labels[RUN_ID_LABEL]).toBe(`dry-${g.id}`);
        expect(doc.spec.duration).toMatch(/^\d+s$/);
      }
      expect(r.stderr).toMatch(/nothing was sent to a cluster/);
    }
  });

  it('maps faults to the kinds a user of Chaos Mesh expects', async () => {
    const kinds = async (fault: string, ...more: string[]) =>
      parseAllDocuments((await dryRun(fault, ...more)).stdout).map(
        (d) => (d.toJS() as ChaosObject).kind,
      );
    expect(await kinds('pod-kill')).toEqual(['PodChaos']);
    expect(await kinds('network-latency')).toEqual(['NetworkChaos']);
    expect(await kinds('cpu-stress')).toEqual(['StressChaos']);
    const http = await dryRun('http-errors', '--port', '8080');
    expect(parseAllDocuments(http.stdout)[0]!.toJS()).toMatchObject({
      kind: 'HTTPChaos',
      spec: { target: 'Response', port: 8080, replace: { code: 503 } },
    });
    expect(http.stderr).toMatch(/HTTPChaos only acts on connections opened after/);
    const random = await dryRun('pod-kill', '--mode', 'random-max-percent', '--value', '30');
    expect(random.code).toBe(0);
    expect(random.stderr).toMatch(/random-max-percent draws 0–30 % of the pods .* may select none/);
  });

  it('refuses what it cannot do safely, naming the flag (exit 2, nothing printed)', async () => {
    const cases: [string[], RegExp][] = [
      [['--mode', 'all'], /--allow-wide-blast/],
      [['--mode', 'fixed-percent', '--value', '80'], /more than 50 %/],
      [['--mode', 'fixed'], /needs a whole number of pods ≥ 1 \(got none\)/],
      // Chaos Mesh reads the value with strconv.Atoi: 1.5, 1e1 or 0x10 would be refused there.
      [['--mode', 'fixed', '--value', '1e1'], /needs a whole number of pods ≥ 1 \(got 1e1\)/],
      [['--mode', 'fixed-percent', '--value', '12.5'], /needs a whole percentage 1–100/],
      [['--namespace', 'kube-system'], /kube-system is refused/],
      [['--selector', 'app'], /"app" is not label=value/],
    ];
    for (const [flags, message] of cases) {
      const r = await dryRun('pod-kill', ...flags);
      expect(r.code, flags.join(' ')).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stdout).toBe('');
    }
    const io = await dryRun('disk-io');
    expect(io.code).toBe(2);
    expect(io.stderr).toMatch(/--volume-path/);
    const local = await tiergate([
      'gameday',
      '--fault',
      'pod-kill',
      '--selector',
      'app=x',
      '--roadmap',
      'ecommerce',
      '--tier',
      '1k',
      '--target',
      'demo',
    ]);
    expect(local.code).toBe(2);
    expect(local.stderr).toMatch(/--selector is for --chaos chaos-mesh/);
  });
});
