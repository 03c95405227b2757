// One scheduled fault of a game day as a config file writes it: `{ at: 20s, hold: 15s,
// latency: { ms: 300, jitter: 50 } }`, or the model's own `{ atS, holdS, fault: { kind, … } }`.
// Checks that need the whole game day (offset vs steady, replica index) are in gameday.ts.
import { z } from 'zod';
import type { FaultSpec } from '../../thresholds/gameday.ts';
import { parseDurationS } from '../../thresholds/objective.ts';
import { addIssue, duration, Id, NonNegative, oneOf, Positive, Share, strict } from './fields.ts';

const MS_FORMS = 'use milliseconds (300) or a duration such as 300ms, 1.5s';

/** Milliseconds, written as a number of milliseconds or as `300ms`, `1.5s`. */
function millis(min: 'positive' | 'zero-ok') {
  return oneOf([z.number(), z.string()], MS_FORMS)
    .transform((v, ctx) => {
      let ms = Number.NaN;
      if (typeof v === 'number' || /^\s*\d+(?:\.\d+)?\s*$/.test(v)) ms = Number(v);
      else {
        try {
          ms = Number((parseDurationS(v) * 1000).toPrecision(12));
        } catch {}
      }
      if (!(ms >= 0) || (min === 'positive' && ms === 0)) {
        const allowed = min === 'positive' ? `more than 0: ${MS_FORMS}` : MS_FORMS;
        addIssue(ctx, { problem: 'is not a delay', allowed });
        return z.NEVER;
      }
      return ms;
    })
    .meta({ description: `Milliseconds: ${MS_FORMS.replace('use ', '')}` });
}

const ErrorStatus = z
  .number()
  .int()
  .min(400, { error: 'use an HTTP error status, 400 to 599' })
  .max(599, { error: 'use an HTTP error status, 400 to 599' });

const Replica = z
  .number()
  .int()
  .nonnegative()
  .meta({ description: 'Index of the replica, from 0 (see the game day replicas)' });

const Shared = strict({ share: Share });

/** The friendly forms: one key per fault kind. */
const FRIENDLY = {
  latency: strict({ ms: millis('positive'), jitter: millis('zero-ok').optional() }),
  httpError: strict({
    status: ErrorStatus.optional().meta({ description: 'Status to answer (default 503)' }),
    share: Share,
  }),
  httpAbort: Shared,
  reset: Shared,
  blackhole: Shared,
  bandwidth: strict({ kbPerSecond: Positive }),
  killReplica: Replica,
  pauseReplica: Replica,
};
type FriendlyKey = keyof typeof FRIENDLY;
const FRIENDLY_KEYS = Object.keys(FRIENDLY) as FriendlyKey[];

const ModelFault = z.discriminatedUnion(
  'kind',
  [
    strict({ kind: z.literal('latency'), latencyMs: Positive, jitterMs: NonNegative.optional() }),
    strict({ kind: z.literal('http-error'), status: ErrorStatus, share: Share }),
    strict({ kind: z.literal('http-abort'), share: Share }),
    strict({ kind: z.literal('reset'), share: Share }),
    strict({ kind: z.literal('blackhole'), share: Share }),
    strict({ kind: z.literal('bandwidth'), kbPerSecond: Positive }),
    strict({ kind: z.literal('kill-replica'), replica: Replica }),
    strict({ kind: z.literal('pause-replica'), replica: Replica }),
    strict({
      kind: z.literal('kubernetes-only'),
      chaos: z.enum([
        'StressChaos-cpu',
        'StressChaos-memory',
        'IOChaos',
        'PodChaos',
        'NetworkChaos',
      ]),
    }),
  ],
  {
    error:
      'use kind: latency, http-error, http-abort, reset, blackhole, bandwidth, kill-replica, pause-replica or kubernetes-only',
  },
);

type Friendly = { [K in FriendlyKey]?: z.output<(typeof FRIENDLY)[K]> };

/** The model spec of one friendly key's value. */
function fromFriendly(key: FriendlyKey, f: Required<Friendly>): FaultSpec {
  switch (key) {
    case 'latency': {
      const { ms, jitter } = f.latency;
      return jitter === undefined
        ? { kind: 'latency', latencyMs: ms }
        : { kind: 'latency', latencyMs: ms, jitterMs: jitter };
    }
    case 'httpError':
      return { kind: 'http-error', status: f.httpError.status ?? 503, share: f.httpError.share };
    case 'httpAbort':
      return { kind: 'http-abort', share: f.httpAbort.share };
    case 'reset':
      return { kind: 'reset', share: f.reset.share };
    case 'blackhole':
      return { kind: 'blackhole', share: f.blackhole.share };
    case 'bandwidth':
      return { kind: 'bandwidth', kbPerSecond: f.bandwidth.kbPerSecond };
    case 'killReplica':
      return { kind: 'kill-replica', replica: f.killReplica };
    case 'pauseReplica':
      return { kind: 'pause-replica', replica: f.pauseReplica };
  }
}

function fromModel(f: z.output<typeof ModelFault>): FaultSpec {
  if (f.kind !== 'latency') return f;
  const { latencyMs, jitterMs } = f;
  return jitterMs === undefined
    ? { kind: 'latency', latencyMs }
    : { kind: 'latency', latencyMs, jitterMs };
}

/** A fault as written, before the game day fills in its id and offset. */
export interface FaultEntry {
  id?: string;
  fault: FaultSpec;
  /** Absent: the fault starts when the steady period ends. */
  atS?: number;
  holdS: number;
  /** Where the entry wrote its offset and its replica index, for messages. */
  atKey: 'at' | 'atS';
  replicaPath: string[];
}

const FAULT_FORMS = `${FRIENDLY_KEYS.join(', ')}, or fault: { kind, … }`;

/** The one value of two alternative keys (`at` or `atS`), with an issue when both are given. */
function either<T>(
  ctx: z.core.$RefinementCtx<unknown>,
  friendly: [string, T | undefined],
  model: [string, T | undefined],
): T | undefined {
  if (friendly[1] !== undefined && model[1] !== undefined) {
    addIssue(ctx, {
      problem: `is given as well as ${friendly[0]}`,
      allowed: `give one of ${friendly[0]} and ${model[0]}`,
      path: [model[0]],
    });
  }
  return friendly[1] ?? model[1];
}

export const FaultSchema = strict({
  id: Id.optional().meta({ description: 'Fault id (default: <game day id>-<n>)' }),
  at: duration('zero-ok')
    .optional()
    .meta({ description: 'Offset from the start of the run (default: the end of steady)' }),
  atS: NonNegative.optional().meta({ description: 'Offset in seconds (the model form of at)' }),
  hold: duration('positive').optional().meta({ description: 'How long the fault is held' }),
  holdS: Positive.optional().meta({ description: 'Seconds (the model form of hold)' }),
  fault: ModelFault.optional(),
  latency: FRIENDLY.latency.optional(),
  httpError: FRIENDLY.httpError.optional(),
  httpAbort: FRIENDLY.httpAbort.optional(),
  reset: FRIENDLY.reset.optional(),
  blackhole: FRIENDLY.blackhole.optional(),
  bandwidth: FRIENDLY.bandwidth.optional(),
  killReplica: FRIENDLY.killReplica.optional(),
  pauseReplica: FRIENDLY.pauseReplica.optional(),
}).transform((f, ctx): FaultEntry => {
  const given = [...FRIENDLY_KEYS, 'fault' as const].filter((k) => f[k] !== undefined);
  const [key, second] = given;
  if (key === undefined) {
    addIssue(ctx, {
      problem: 'has no fault',
      allowed: `give one of ${FAULT_FORMS}`,
      noValue: true,
    });
    return z.NEVER;
  }
  if (second !== undefined) {
    addIssue(ctx, {
      problem: `is a second fault in one entry, beside ${key}`,
      allowed: 'one fault per entry: list overlapping faults as separate entries',
      path: [second],
      noValue: true,
    });
  }
  const atS = either(ctx, ['at', f.at], ['atS', f.atS]);
  const holdS = either(ctx, ['hold', f.hold], ['holdS', f.holdS]);
  if (holdS === undefined) {
    addIssue(ctx, { problem: 'has no hold', allowed: 'add hold: 15s', noValue: true });
    return z.NEVER;
  }
  const model = key === 'fault';
  const entry: FaultEntry = {
    fault: model ? fromModel(f.fault!) : fromFriendly(key, f as Required<Friendly>),
    holdS,
    atKey: f.atS !== undefined ? 'atS' : 'at',
    replicaPath: model ? ['fault', 'replica'] : [key],
  };
  if (f.id !== undefined) entry.id = f.id;
  if (atS !== undefined) entry.atS = atS;
  return entry;
});
