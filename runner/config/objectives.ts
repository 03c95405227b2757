// Objectives and rollback triggers as a config file writes them: an expression (`p95 < 2s`),
// an object around one (`{ expr, request, window, severity }`), or the full model object.
import { z } from 'zod';
import type { Metric, Objective, RollbackTrigger, WindowName } from '../../thresholds/model.ts';
import {
  ALL_METRICS,
  LATENCY_STATS,
  type ObjectiveOptions,
  ObjectiveSyntaxError,
  objectiveProblem,
  parseObjective,
} from '../../thresholds/objective.ts';
import {
  addIssue,
  CitationSchema,
  duration,
  Id,
  NonNegative,
  oneOf,
  Positive,
  SeveritySchema,
  strict,
  Text,
  WindowSchema,
} from './fields.ts';

const EXAMPLES =
  'write e.g. "p95 < 2s", "error_rate < 1%", "availability >= 99.9%", "p95 <= 2x baseline"';

const LimitSchema = z.discriminatedUnion(
  'kind',
  [
    strict({ kind: z.literal('absolute'), value: z.number() }),
    strict({ kind: z.literal('baseline-factor'), factor: Positive }),
    strict({ kind: z.literal('baseline-within'), percent: NonNegative }),
  ],
  {
    error:
      'use { kind: absolute, value }, { kind: baseline-factor, factor } or { kind: baseline-within, percent }',
  },
);

const ModelObjective = strict({
  id: Id,
  metric: z.enum(ALL_METRICS),
  stat: z.enum([...LATENCY_STATS, 'value']),
  op: z.enum(['<', '<=', '>', '>=']),
  limit: LimitSchema,
  window: WindowSchema,
  request: Text.optional(),
  severity: SeveritySchema,
  optional: z.boolean().optional(),
  prove: z
    .boolean()
    .optional()
    .meta({ description: 'An unproven verdict (too few samples to show it holds) fails the gate' }),
  description: z.string().optional(),
  source: CitationSchema.optional(),
});

const ExprObjective = strict({
  expr: z.string(),
  id: Id.optional(),
  request: Text.optional(),
  window: WindowSchema.optional(),
  severity: SeveritySchema.optional(),
  optional: z.boolean().optional(),
  prove: z
    .boolean()
    .optional()
    .meta({ description: 'An unproven verdict (too few samples to show it holds) fails the gate' }),
  description: z.string().optional(),
  source: CitationSchema.optional(),
});

type ModelInput = z.output<typeof ModelObjective>;

/** Parses an expression, turning its syntax error into an issue at `path`. */
function fromExpression(
  ctx: z.core.$RefinementCtx<unknown>,
  expr: string,
  options: ObjectiveOptions,
  path: (string | number)[],
): Objective | undefined {
  try {
    return parseObjective(expr, options);
  } catch (err) {
    if (!(err instanceof ObjectiveSyntaxError)) throw err;
    addIssue(ctx, { problem: `is not an objective: ${err.problem}`, allowed: EXAMPLES, path });
    return undefined;
  }
}

function fromModel(ctx: z.core.$RefinementCtx<unknown>, o: ModelInput): Objective {
  const latency = o.metric === 'latency' || o.metric === 'service_time';
  if (latency === (o.stat === 'value')) {
    addIssue(ctx, {
      problem: `is not a statistic of ${o.metric}`,
      allowed: latency ? `use one of ${LATENCY_STATS.join(', ')}` : 'use "value"',
      path: ['stat'],
    });
    return z.NEVER;
  }
  const problem = objectiveProblem(o);
  if (problem !== undefined) {
    addIssue(ctx, { problem: `is not an objective: ${problem}`, allowed: EXAMPLES, noValue: true });
    return z.NEVER;
  }
  const out: Objective = {
    id: o.id,
    metric: o.metric,
    stat: o.stat,
    op: o.op,
    limit: o.limit,
    window: o.window,
    severity: o.severity,
  };
  if (o.request !== undefined) out.request = o.request;
  if (o.optional !== undefined) out.optional = o.optional;
  if (o.prove !== undefined) out.prove = o.prove;
  if (o.description !== undefined) out.description = o.description;
  if (o.source !== undefined) out.source = o.source;
  return out;
}

/** The window of an objective written without one, by what it measures. */
export type DefaultWindow = (metric: Metric) => WindowName;

/** Objectives whose expression forms default their window (`whole` when no default is given). */
export function objectiveSchema(defaultWindow?: DefaultWindow) {
  const parse = (
    ctx: z.core.$RefinementCtx<unknown>,
    expr: string,
    options: ObjectiveOptions,
    path: (string | number)[],
  ): Objective => {
    const objective = fromExpression(ctx, expr, options, path);
    if (objective === undefined) return z.NEVER;
    if (options.window !== undefined || defaultWindow === undefined) return objective;
    // Parsed again so that the default id names the window, as an explicit window would.
    return parseObjective(expr, { ...options, window: defaultWindow(objective.metric) });
  };
  return oneOf(
    [z.string(), ExprObjective, ModelObjective],
    `${EXAMPLES}, or { expr: "p95 < 2s", request: checkout, window: steady, severity: warn }`,
  ).transform((v, ctx): Objective => {
    if (typeof v === 'string') return parse(ctx, v, {}, []);
    if ('metric' in v) return fromModel(ctx, v);
    const { expr, ...options } = v;
    return parse(ctx, expr, options, ['expr']);
  });
}

export const ObjectiveSchema = objectiveSchema();

const ModelTrigger = strict({
  id: Id,
  objective: ObjectiveSchema,
  windowS: Positive,
  forS: NonNegative,
  delayS: NonNegative,
  source: CitationSchema.optional(),
});

const WhenTrigger = strict({
  when: z.string().meta({ description: 'The condition that must hold, e.g. "error_rate <= 5%"' }),
  id: Id.optional(),
  request: Text.optional(),
  window: duration('positive').optional().meta({ description: 'Sliding window (default 10s)' }),
  for: duration('zero-ok')
    .optional()
    .meta({ description: 'Breach time before abort (default 0s)' }),
  delay: duration('zero-ok').optional().meta({ description: 'Warm-up before checks (default 0s)' }),
  source: CitationSchema.optional(),
});

/** Defaults of the `{ when }` form: a 10 s sliding window, abort at once, no warm-up. */
export const TRIGGER_DEFAULTS = { windowS: 10, forS: 0, delayS: 0 } as const;

export const RollbackTriggerSchema = oneOf(
  [WhenTrigger, ModelTrigger],
  'write e.g. { when: "error_rate <= 5%", window: 10s, for: 10s, delay: 10s }',
).transform((v, ctx): RollbackTrigger => {
  if (!('when' in v)) {
    const out: RollbackTrigger = {
      id: v.id,
      objective: v.objective,
      windowS: v.windowS,
      forS: v.forS,
      delayS: v.delayS,
    };
    if (v.source !== undefined) out.source = v.source;
    return out;
  }
  const options: ObjectiveOptions = { window: 'whole' };
  if (v.id !== undefined) options.id = v.id;
  if (v.request !== undefined) options.request = v.request;
  const objective = fromExpression(ctx, v.when, options, ['when']);
  if (objective === undefined) return z.NEVER;
  const out: RollbackTrigger = {
    id: objective.id,
    objective,
    windowS: v.window ?? TRIGGER_DEFAULTS.windowS,
    forS: v.for ?? TRIGGER_DEFAULTS.forS,
    delayS: v.delay ?? TRIGGER_DEFAULTS.delayS,
  };
  if (v.source !== undefined) out.source = v.source;
  return out;
});
