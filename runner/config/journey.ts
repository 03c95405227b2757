// A tier's journey: the weighted HTTP requests every engine sends.
import { z } from 'zod';
import type { Journey, RequestSpec } from '../../thresholds/model.ts';
import { addIssue, oneOf, Positive, strict, Text } from './fields.ts';

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD'] as const;
type Method = (typeof METHODS)[number];

const MethodSchema = z
  .string()
  .transform((m, ctx): Method => {
    const upper = m.toUpperCase();
    const method = METHODS.find((allowed) => allowed === upper);
    if (method !== undefined) return method;
    addIssue(ctx, {
      problem: 'is not an HTTP method',
      allowed: `use one of ${METHODS.join(', ')}`,
    });
    return z.NEVER;
  })
  .meta({ description: `One of ${METHODS.join(', ')} (any case); GET if absent` });

const PathSchema = z.string().refine((p) => p.startsWith('/'), {
  message: 'does not start with "/"',
  params: { allowed: 'write the path after the base URL, e.g. /api/orders?page=1' },
});

const Status = z.number().int().min(100).max(599);

/** An HTTP field name: a token (RFC 9110 §5.1). */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** Control characters a field value may not hold (CR and LF would split it): all but tab. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: the control characters are the point
const HEADER_VALUE_CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f]/;

/** What is wrong with a request header, or undefined when the client can send it as written. */
export function headerProblem(name: string, value: string): string | undefined {
  if (!HEADER_NAME.test(name))
    return `header name ${JSON.stringify(name)} is not an HTTP token (letters, digits, - and !#$%&'*+.^_\`|~)`;
  if (HEADER_VALUE_CONTROL.test(value))
    return `header ${name} has a control character (CR, LF, …) in its value ${JSON.stringify(value)}`;
  return undefined;
}

const RequestSchema = strict({
  name: Text,
  method: MethodSchema.optional(),
  path: PathSchema,
  headers: z
    .record(
      z.string(),
      oneOf([z.string(), z.number(), z.boolean()], 'a header value is text').transform(String),
    )
    .superRefine((headers, ctx) => {
      for (const [name, value] of Object.entries(headers)) {
        const problem = headerProblem(name, value);
        if (problem !== undefined)
          addIssue(ctx, { problem: `is not sendable: ${problem}`, path: [name] });
      }
    })
    .optional(),
  body: z.unknown().optional().meta({ description: 'JSON body (sent as application/json)' }),
  weight: Positive.optional().meta({ description: 'Relative share of arrivals (default 1)' }),
  expectStatus: oneOf(
    [Status, z.array(Status).min(1)],
    'a status such as 201, or a list [200, 201]',
  )
    .transform((s) => (typeof s === 'number' ? [s] : s))
    .optional(),
}).transform((r): RequestSpec => {
  const out: RequestSpec = { name: r.name, method: r.method ?? 'GET', path: r.path, weight: 1 };
  if (r.headers !== undefined) out.headers = r.headers;
  if (r.body !== undefined) out.body = r.body;
  if (r.weight !== undefined) out.weight = r.weight;
  if (r.expectStatus !== undefined) out.expectStatus = r.expectStatus;
  return out;
});

export const JourneySchema = strict({
  name: Text.optional().meta({ description: "The journey's name (default: the tier id)" }),
  requests: z.array(RequestSchema).min(1),
}).superRefine((j, ctx) => {
  const seen = new Map<string, number>();
  j.requests.forEach((r, i) => {
    const first = seen.get(r.name);
    if (first === undefined) seen.set(r.name, i);
    else
      addIssue(ctx, {
        problem: `is already the name of requests[${first}]`,
        allowed: 'request names must be unique within a journey',
        path: ['requests', i, 'name'],
      });
  });
});

/** The journey with its name defaulted to the tier's id. */
export function toJourney(j: z.output<typeof JourneySchema>, tierId: string): Journey {
  return { name: j.name ?? tierId, requests: j.requests };
}
