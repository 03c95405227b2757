// Building blocks of the config schema: strict objects that name the keys they allow, and the
// friendly scalar forms (durations as `30s`, shares as `15%`) normalised to model units.
import { z } from 'zod';
import type { Citation } from '../../thresholds/model.ts';
import { DURATION_FORMS, parseDurationS } from '../../thresholds/objective.ts';
import { closest } from './suggest.ts';

/** A custom issue: `problem` follows the offending value, `allowed` says how to fix it. */
export interface IssueText {
  problem: string;
  allowed?: string;
  /** Path below the current value, e.g. `['stages', 1, 'steady']`. */
  path?: (string | number)[];
  /** The value is not worth printing (e.g. a whole list). */
  noValue?: boolean;
}

/** Adds a custom issue in the shape `describeIssue` reads back. */
export function addIssue<T>(ctx: z.core.$RefinementCtx<T>, text: IssueText): void {
  ctx.addIssue({
    code: 'custom',
    message: text.problem,
    path: text.path ?? [],
    params: { allowed: text.allowed, noValue: text.noValue === true },
  });
}

/** A strict object whose unknown-key issue lists the allowed keys (and the likely typo). */
export function strict<T extends z.core.$ZodLooseShape>(shape: T) {
  const keys = Object.keys(shape);
  return z.strictObject(shape, {
    error: (iss) => {
      if (iss.code !== 'unrecognized_keys') return undefined;
      const guess = iss.keys.length === 1 ? closest(iss.keys[0] ?? '', keys) : undefined;
      const list = `keys here are: ${keys.join(', ')}`;
      return guess === undefined ? list : `did you mean ${guess}? ${list}`;
    },
  });
}

/** A union whose "none of these" issue says what the accepted forms are. */
export function oneOf<const T extends readonly [z.core.SomeType, ...z.core.SomeType[]]>(
  options: T,
  allowed: string,
) {
  return z.union(options, { error: () => allowed });
}

export const Id = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, {
  error: 'use letters, digits, ".", "_" and "-", starting with a letter or digit',
});

export const Text = z.string().min(1);

export const Positive = z.number().positive();
export const NonNegative = z.number().nonnegative();

export const WindowSchema = z.enum(['steady', 'chaos', 'recovery', 'whole']);
export const SeveritySchema = z.enum(['fail', 'warn']);

export const CitationSchema = strict({
  seed: Text,
  line: z.number().int().positive(),
  quote: Text,
  assumption: z.string().optional(),
}).transform((c): Citation => {
  const out: Citation = { seed: c.seed, line: c.line, quote: c.quote };
  if (c.assumption !== undefined) out.assumption = c.assumption;
  return out;
});

const DURATION_ALLOWED = `use ${DURATION_FORMS}`;

/** Seconds, written as a number of seconds or as `30s`, `5m`, `1h`, `500ms`, `1m30s`. */
export function duration(min: 'positive' | 'zero-ok') {
  return oneOf([z.number(), z.string()], DURATION_ALLOWED)
    .transform((v, ctx) => {
      let seconds: number;
      try {
        seconds = typeof v === 'number' ? v : parseDurationS(v);
      } catch {
        addIssue(ctx, { problem: 'is not a duration', allowed: DURATION_ALLOWED });
        return z.NEVER;
      }
      if (!Number.isFinite(seconds) || seconds < 0) {
        addIssue(ctx, { problem: 'is not a duration', allowed: DURATION_ALLOWED });
        return z.NEVER;
      }
      if (min === 'positive' && seconds === 0) {
        addIssue(ctx, { problem: 'is too short', allowed: 'a duration must be more than 0s' });
        return z.NEVER;
      }
      return seconds;
    })
    .meta({ description: `Seconds, or ${DURATION_FORMS}` });
}

const SHARE_FORMS = 'use a fraction in (0, 1] such as 0.15, or a percentage such as 15%';

/** A share in (0, 1], written as `0.15` or `15%`. */
export const Share = oneOf([z.number(), z.string()], SHARE_FORMS)
  .transform((v, ctx) => {
    const m = typeof v === 'string' ? /^\s*(\d+(?:\.\d+)?)\s*%\s*$/.exec(v) : null;
    const share =
      typeof v === 'number' ? v : m ? Number((Number(m[1]) / 100).toPrecision(12)) : NaN;
    if (!(share > 0 && share <= 1)) {
      addIssue(ctx, { problem: 'is not a share', allowed: SHARE_FORMS });
      return z.NEVER;
    }
    return share;
  })
  .meta({ description: 'A fraction in (0, 1] (0.15) or a percentage (15%)' });
