// A stored run.json is input like a config file: before a command judges, renders or compares
// it, every field it reads is checked here (types, ranges, histograms that decode), so a corrupt
// or hand-edited file is exit 2 naming the field, before anything is written. Objects stay open
// to keys this version does not know (a newer tiergate may add some); the known ones are exact.
import { z } from 'zod';
import { configError, configIssues, PARSE_OPTIONS } from '../../runner/config/issues.ts';
import { sparseCounts } from '../../runner/timeline/hdr.ts';
import { CAPACITY_STEP_STATUSES } from '../../thresholds/capacity.ts';
import { ALL_METRICS, LATENCY_STATS } from '../../thresholds/objective.ts';
import { MAX_RUN_S } from '../../thresholds/plan.ts';
import { GAMEDAY_VERDICTS, type RunResult } from '../../thresholds/result.ts';

/** Seconds a timeline may reach: the longest plan, plus an hour for requests to drain. */
const MAX_TIMELINE_S = MAX_RUN_S + 3600;
/**
 * Highest counts index a stored histogram may use: a value of a day in µs at 3 significant
 * digits. A higher one would make adding it allocate without bound.
 */
const MAX_HISTOGRAM_INDEX = 40_000;

const Count = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
const NonNegative = z.number().nonnegative().finite();
const Seconds = NonNegative.max(MAX_TIMELINE_S);
const Text = z.string();
const WindowName = z.enum(['steady', 'chaos', 'recovery', 'whole']);

/** A histogram as run.json stores it: '' (empty) or compressed base64 HdrHistogram V2. */
const Histogram = z.string().superRefine((encoded, ctx) => {
  let indexes: number[];
  try {
    indexes = sparseCounts(encoded).indexes;
  } catch {
    ctx.addIssue({
      code: 'custom',
      message: 'is not an HdrHistogram (compressed base64, V2 encoding)',
      params: { noValue: true },
    });
    return;
  }
  if ((indexes[indexes.length - 1] ?? 0) > MAX_HISTOGRAM_INDEX) {
    ctx.addIssue({
      code: 'custom',
      message: 'holds latencies beyond a day: not a histogram tiergate wrote',
      params: { noValue: true },
    });
  }
});

const Limit = z.discriminatedUnion('kind', [
  z.looseObject({ kind: z.literal('absolute'), value: z.number().finite() }),
  z.looseObject({ kind: z.literal('baseline-factor'), factor: NonNegative }),
  z.looseObject({ kind: z.literal('baseline-within'), percent: NonNegative }),
]);

const Objective = z.looseObject({
  id: Text,
  metric: z.enum(ALL_METRICS),
  stat: z.enum([...LATENCY_STATS, 'value']),
  op: z.enum(['<', '<=', '>', '>=']),
  limit: Limit,
  window: WindowName,
  request: Text.optional(),
  severity: z.enum(['fail', 'warn']),
  optional: z.boolean().optional(),
  prove: z.boolean().optional(),
  implicit: z.boolean().optional(),
  description: Text.optional(),
});

const Phase = z.looseObject({
  name: Text,
  startS: Seconds,
  durationS: Seconds,
  steady: z.boolean(),
});

const Plan = z.looseObject({
  roadmap: Text.optional(),
  tier: Text.optional(),
  target: Text,
  shape: z.discriminatedUnion('model', [
    z.looseObject({
      model: z.literal('open'),
      phases: z.array(Phase.extend({ fromRps: NonNegative, toRps: NonNegative })),
    }),
    z.looseObject({
      model: z.literal('closed'),
      phases: z.array(Phase.extend({ fromVus: NonNegative, toVus: NonNegative })),
    }),
  ]),
  journey: z.looseObject({
    name: Text,
    requests: z
      .array(
        z.looseObject({
          name: Text,
          method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD']),
          path: Text,
          weight: z.number().positive().finite(),
        }),
      )
      .min(1),
  }),
  objectives: z.array(Objective),
  rollbackTriggers: z.array(
    z.looseObject({
      id: Text,
      objective: Objective,
      windowS: Seconds,
      forS: Seconds,
      delayS: Seconds,
    }),
  ),
  durationS: Seconds,
  peak: NonNegative,
  notes: z.array(Text),
  timeoutMs: NonNegative,
  maxInFlight: Count,
  connections: Count,
  workers: Count,
  budget: z.looseObject({ sendLagP99Ms: NonNegative, droppedShare: NonNegative.max(1) }),
  confidence: z.number().gt(0.5).lt(1).optional(),
  recoveryGoodSeconds: Count,
  allowErrors: z.boolean().optional(),
});

/** Counts of a second (or a window): errors are among the completed requests. */
function errorsWithinCompleted(v: { completed: number; errors: number }, ctx: z.RefinementCtx) {
  if (v.errors > v.completed) {
    ctx.addIssue({
      code: 'custom',
      message: `is more than the ${v.completed} completed requests`,
      path: ['errors'],
    });
  }
}

const RequestSecond = z
  .looseObject({ completed: Count, errors: Count, latency: Histogram })
  .superRefine(errorsWithinCompleted);

const Bucket = z
  .looseObject({
    t: z.number().int().nonnegative().max(MAX_TIMELINE_S),
    target: NonNegative,
    sent: Count,
    dropped: Count,
    completed: Count,
    errors: Count,
    errorKinds: z.record(Text, Count),
    latency: Histogram,
    serviceTime: Histogram,
    sendLag: Histogram,
    byRequest: z.record(Text, RequestSecond),
  })
  .superRefine(errorsWithinCompleted);

const Timeline = z.array(Bucket).superRefine((buckets, ctx) => {
  for (let i = 1; i < buckets.length; i++) {
    if (buckets[i]!.t <= buckets[i - 1]!.t) {
      ctx.addIssue({
        code: 'custom',
        message: `does not follow t = ${buckets[i - 1]!.t} of the second before it`,
        path: [i, 't'],
      });
      return;
    }
  }
});

const Summary = z.looseObject({
  count: Count,
  min: NonNegative,
  mean: NonNegative,
  p50: NonNegative,
  p75: NonNegative,
  p90: NonNegative,
  p95: NonNegative,
  p99: NonNegative,
  'p99.9': NonNegative,
  max: NonNegative,
});

const Stats = z
  .looseObject({
    window: WindowName,
    request: Text.optional(),
    startS: Seconds,
    endS: Seconds,
    scheduled: Count,
    completed: Count,
    errors: Count,
    dropped: Count,
    latency: Summary,
    serviceTime: Summary,
    sendLag: Summary,
    recoveryTimeS: NonNegative.nullable().optional(),
  })
  .superRefine(errorsWithinCompleted);

const Bounds = z
  .looseObject({ startS: Seconds, endS: Seconds })
  .refine((b) => b.startS <= b.endS, { message: 'ends before it starts', path: ['endS'] });

const NullableNumber = z.number().finite().nullable();

const Verdict = z.looseObject({
  status: z.enum(['pass', 'warn', 'fail', 'inconclusive']),
  objectives: z.array(
    z.looseObject({
      id: Text,
      objective: Objective,
      expression: Text,
      window: WindowName,
      status: z.enum(['pass', 'warn', 'fail', 'skipped', 'unproven']),
      observed: NullableNumber,
      limit: NullableNumber,
      baseline: NullableNumber.optional(),
      samples: Count,
      bound: NullableNumber.optional(),
      confidence: z.number().gt(0.5).lt(1).optional(),
      needs: Text.optional(),
      breachUnproven: z.literal(true).optional(),
      reason: Text,
    }),
  ),
  inconclusiveReasons: z.array(Text),
});

const Outcome = z.discriminatedUnion('state', [
  z.looseObject({ state: z.literal('completed') }),
  z.looseObject({ state: z.literal('aborted'), trigger: Text, atS: Seconds, reason: Text }),
  z.looseObject({ state: z.literal('interrupted'), signal: Text, atS: Seconds }),
  z.looseObject({ state: z.literal('errored'), reason: Text }),
]);

const GameDay = z.looseObject({
  id: Text,
  name: Text,
  driver: z.enum(['local', 'chaos-mesh']),
  faults: z.array(
    z.looseObject({
      id: Text,
      kind: Text,
      injectedAtS: Seconds.nullable(),
      removedAtS: Seconds.nullable(),
      recovered: z.boolean(),
    }),
  ),
  timeToDetectS: Seconds.nullable(),
  timeToRecoverS: Seconds.nullable(),
  steadyStateBroken: Text.optional(),
  verdict: z.enum(GAMEDAY_VERDICTS),
});

/** A capacity search's steps and findings: what `report` and `history` read of them. */
const CapacityStep = z.looseObject({
  index: Count,
  rateRps: NonNegative,
  kind: z.enum(['climb', 'bisect']),
  tier: Text.optional(),
  status: z.enum(CAPACITY_STEP_STATUSES),
  startS: Seconds,
  holdStartS: Seconds,
  endS: Seconds,
  achievedRps: NonNegative,
  dropped: Count,
  errorRate: z.number().min(0).max(1).nullable(),
  latencyMs: z.looseObject({
    p50: NonNegative.nullable(),
    p95: NonNegative.nullable(),
    p99: NonNegative.nullable(),
  }),
  reason: Text,
});

const Capacity = z.looseObject({
  mode: z.enum(['roadmap', 'slo']),
  resolution: z.number().positive().max(1),
  steps: z.array(CapacityStep).min(1),
  findings: z.looseObject({
    stop: Text,
    knee: z.looseObject({ rateRps: NonNegative, step: Count, proven: z.boolean() }).nullable(),
    carriedRps: NonNegative.nullable(),
    break: z.looseObject({ rateRps: NonNegative, step: Count }).nullable(),
  }),
});

const RunFile = z.looseObject({
  schemaVersion: z.number(),
  runId: Text.min(1),
  startedAt: Text.refine((s) => !Number.isNaN(Date.parse(s)), 'is not an ISO 8601 time'),
  endedAt: Text,
  complete: z.boolean(),
  environment: z.looseObject({}),
  engine: z.looseObject({
    name: z.enum(['local', 'k6', 'k6-operator', 'autocannon']),
    version: Text,
    generators: Count,
    latencyBucketRatio: z.number().min(1).optional(),
  }),
  plan: Plan,
  outcome: Outcome,
  timeline: Timeline,
  events: z.array(z.looseObject({ t: Seconds, kind: Text, subject: Text.optional() })),
  windows: z.partialRecord(WindowName, Bounds),
  stats: z.array(Stats),
  verdict: Verdict,
  gameDay: GameDay.optional(),
  engineThresholds: z.array(z.record(Text, z.boolean())).optional(),
  baseline: z.looseObject({ runId: Text, path: Text }).optional(),
  capacity: Capacity.optional(),
  exitCode: z.literal([0, 1, 2, 3, 4, 130]),
});

/**
 * The JSON Schema (draft 2020-12) of run.json, for other tools that read it. Like the checks
 * above, it leaves objects open to keys a newer tiergate may add; what only code can check
 * (a histogram that decodes, seconds in order) is left to `tiergate gate`.
 */
export function runJsonSchema(): Record<string, unknown> {
  return { ...z.toJSONSchema(RunFile, { io: 'input' }), title: 'tiergate run.json' };
}

/** The run, checked field by field; a ConfigError (exit 2) naming each bad field otherwise. */
export function validateRunFile(data: unknown, file: string): RunResult {
  const result = RunFile.safeParse(data, PARSE_OPTIONS);
  if (!result.success) throw configError(file, configIssues(result.error, data));
  return data as RunResult;
}
