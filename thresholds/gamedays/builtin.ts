// The built-in game days, from the seeds' chaos lists (000: pod kill, network latency, CPU,
// memory, disk I/O; 004: region failure, cache-cluster failure). Each runs locally where a
// local fault is an honest stand-in, and says "Kubernetes only" where it is not.
import { cite } from '../define.ts';
import type { FaultSpec, GameDay } from '../gameday.ts';
import { parseObjective } from '../objective.ts';
import { rollbackTrigger } from '../roadmaps/common.ts';

const S000 = '000_acdfddc18bf396c2.txt';
const S001 = '001_96b922aa661bef61.txt';
const S004 = '004_ff269ade39e12b93.txt';

/** Default timing: 20 s of steady load, a 20 s fault, 30 s to recover (override on the CLI). */
const STEADY_S = 20;
const HOLD_S = 20;
const RECOVERY_S = 30;

const resilience = [
  parseObjective('error_rate <= 5%', {
    id: 'chaos-error-budget',
    window: 'chaos',
    description: 'error budget spent while the fault is held',
    source: cite(
      S000,
      516,
      'Error rate > 5%',
      'the rollback trigger is the error budget a fault may spend',
    ),
  }),
  parseObjective('p99 <= 2s', {
    id: 'chaos-p99',
    window: 'chaos',
    description: 'worst tail latency tolerated during the fault',
    source: cite(
      S000,
      517,
      'Latency p99 > 2 seconds',
      'the rollback trigger bounds p99 during the fault',
    ),
  }),
  parseObjective('recovery_time < 5m', {
    id: 'recovery-time',
    window: 'recovery',
    description: 'fault removed → first run of good seconds',
    source: cite(S000, 548, 'Recovery Time:** < 5 minutes'),
  }),
  parseObjective('recovery_time < 15m', {
    id: 'rto',
    window: 'recovery',
    severity: 'warn',
    description: 'recovery time objective of the enterprise target',
    source: cite(S001, 361, 'RTO:** <15 minutes'),
  }),
];

/** Seed 000's automatic rollback triggers, live during every game day unless it sets its own. */
export const GAMEDAY_TRIGGERS = [
  rollbackTrigger(
    'gameday-error-rate',
    'error_rate <= 5%',
    { windowS: 10, forS: 10, delayS: 5 },
    cite(S000, 516, 'Error rate > 5%'),
    'abort the game day when errors stay above 5 % for 10 s',
  ),
  rollbackTrigger(
    'gameday-p99',
    'p99 <= 2s',
    { windowS: 10, forS: 10, delayS: 5 },
    cite(S000, 517, 'Latency p99 > 2 seconds'),
    'abort the game day when p99 stays above 2 s for 10 s',
  ),
];

const steadyState = [
  parseObjective('error_rate < 1%', { id: 'steady-errors', window: 'steady' }),
  parseObjective('p95 < 1s', { id: 'steady-p95', window: 'steady' }),
];

function gameDay(
  id: string,
  name: string,
  description: string,
  fault: FaultSpec,
  extra: Partial<GameDay> = {},
): GameDay {
  return {
    id,
    name,
    description,
    steadyS: STEADY_S,
    faults: [{ id: `${id}-1`, fault, atS: STEADY_S, holdS: HOLD_S }],
    recoveryS: RECOVERY_S,
    steadyState,
    objectives: resilience,
    ...extra,
  };
}

export const BUILTIN_GAMEDAYS: GameDay[] = [
  gameDay(
    'pod-kill',
    'Kill a pod',
    'One of three replicas behind the proxy is killed (SIGKILL) and restarted when the fault ends.',
    { kind: 'kill-replica', replica: 0 },
    { replicas: 3, source: cite(S000, 504, 'Kill random pods') },
  ),
  gameDay(
    'network-latency',
    'Network latency',
    'Every response is delayed by 200 ms ± 50 ms at the proxy.',
    { kind: 'latency', latencyMs: 200, jitterMs: 50 },
    { source: cite(S000, 505, 'Network latency injection') },
  ),
  gameDay(
    'cpu-stress',
    'CPU stress',
    'CPU stress on the target pods (Chaos Mesh StressChaos).',
    { kind: 'kubernetes-only', chaos: 'StressChaos-cpu' },
    {
      source: cite(S000, 506, 'CPU stress test'),
      kubernetesOnly:
        'a laptop cannot stress only the target without stressing the load generator too',
    },
  ),
  gameDay(
    'memory-pressure',
    'Memory pressure',
    'Memory pressure on the target pods (Chaos Mesh StressChaos).',
    { kind: 'kubernetes-only', chaos: 'StressChaos-memory' },
    {
      source: cite(S000, 507, 'Memory pressure'),
      kubernetesOnly: 'memory pressure needs the target in its own cgroup (a pod)',
    },
  ),
  gameDay(
    'disk-io',
    'Disk I/O degradation',
    'I/O latency on the target volume (Chaos Mesh IOChaos).',
    { kind: 'kubernetes-only', chaos: 'IOChaos' },
    {
      source: cite(S000, 508, 'Disk I/O degradation'),
      kubernetesOnly:
        'IOChaos injects into a pod volume through chaos-daemon; the demo has no disk path',
    },
  ),
  gameDay(
    'region-failure',
    'Region failure',
    'Two replicas stand for two regions; one is killed and the proxy fails traffic over to the other.',
    { kind: 'kill-replica', replica: 0 },
    {
      replicas: 2,
      source: cite(
        S004,
        168,
        '--scenario=region-failure',
        'locally a "region" is one of two replicas behind the proxy, which fails over like a global load balancer',
      ),
    },
  ),
  gameDay(
    'cache-failure',
    'Cache cluster failure',
    'The cache cluster becomes unavailable (Chaos Mesh PodChaos on the cache pods).',
    { kind: 'kubernetes-only', chaos: 'PodChaos' },
    {
      source: cite(S004, 345, 'Cache Cluster Failure'),
      kubernetesOnly: 'the demo target has no cache tier to fail',
    },
  ),
  gameDay(
    'http-errors',
    'HTTP errors',
    "A fifth of requests are answered 503 by the proxy (tiergate's own, to rehearse error budgets).",
    { kind: 'http-error', status: 503, share: 0.2 },
  ),
  gameDay(
    'replica-pause',
    'Frozen replica',
    'One of three replicas is frozen (SIGSTOP) and resumed (SIGCONT) when the fault ends.',
    { kind: 'pause-replica', replica: 0 },
    { replicas: 3 },
  ),
];

/** Aliases users type: `--fault latency` is the network-latency game day. */
const ALIASES: Record<string, string> = {
  latency: 'network-latency',
  kill: 'pod-kill',
  errors: 'http-errors',
};

/**
 * The game day with this id (or alias), among `extra` (the user's, searched first: one with a
 * built-in's id replaces it) and the built-ins.
 */
export function findGameDay(id: string, extra: readonly GameDay[] = []): GameDay | undefined {
  const all = [...extra, ...BUILTIN_GAMEDAYS];
  const alias = ALIASES[id];
  return all.find((g) => g.id === id) ?? (alias ? all.find((g) => g.id === alias) : undefined);
}
