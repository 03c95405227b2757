// Which header and query-parameter values are secrets, and a plan with them taken out: the one
// rule every artifact (run.json, reports, plan.json, k6 scripts, k6-operator objects) and the
// terminal goes through. Pure (no Node imports, no URL class): k6 scripts use it too.
import type { LoadPlan } from './model.ts';

export const REDACTED = '[redacted]';

/** Names (headers and query parameters, any case) whose values are always secret. */
export const SENSITIVE_NAMES: readonly string[] = [
  'authorization',
  'proxy-authorization',
  'cookie',
  'set-cookie',
  'key',
  'sig',
  'pwd',
  'sid',
];

/** A name holding one of these (any case, `-`/`_` alike) is secret too: x-api-key, access_token. */
export const SENSITIVE_PARTS: readonly string[] = [
  'auth',
  'token',
  'secret',
  'password',
  'passwd',
  'api-key',
  'apikey',
  'session',
  'signature',
  'credential',
];

const folded = (name: string) => name.toLowerCase().replace(/_/g, '-');

/** Whether a header or query parameter's value is a secret; `extra` is the user's `--redact`. */
export function isSensitive(name: string, extra: readonly string[] = []): boolean {
  const n = folded(name);
  if (SENSITIVE_NAMES.includes(n) || extra.some((e) => folded(e) === n)) return true;
  return SENSITIVE_PARTS.some((part) => n.includes(part));
}

/**
 * A URL, or a path with a query, with the secrets shown as REDACTED: the password of its
 * userinfo (`user:pass@`) and the values of sensitive query parameters.
 */
export function redactUrl(text: string, extra: readonly string[] = []): string {
  const withoutUserinfo = text.replace(
    /^([a-z][a-z0-9+.-]*:\/\/)([^/?#@]*)@/i,
    (_, scheme: string, userinfo: string) =>
      `${scheme}${userinfo.includes(':') ? `${userinfo.slice(0, userinfo.indexOf(':'))}:${REDACTED}` : REDACTED}@`,
  );
  return replaceQueryValues(withoutUserinfo, (name, value) =>
    isSensitive(name, extra) ? REDACTED : value,
  );
}

/** The query's `name=value` pairs of `text` (before any `#`), each value replaced as `map` says. */
function replaceQueryValues(text: string, map: (name: string, value: string) => string): string {
  const q = text.indexOf('?');
  if (q < 0) return text;
  const hash = text.indexOf('#', q);
  const end = hash < 0 ? text.length : hash;
  const query = text
    .slice(q + 1, end)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      if (eq < 0) return pair;
      const name = pair.slice(0, eq);
      return `${name}=${map(decodeName(name), pair.slice(eq + 1))}`;
    })
    .join('&');
  return `${text.slice(0, q + 1)}${query}${text.slice(end)}`;
}

function decodeName(name: string): string {
  try {
    return decodeURIComponent(name.replace(/\+/g, ' '));
  } catch {
    return name;
  }
}

/** Where one secret of a plan sits, and the environment variable a k6 script reads it from. */
export interface SecretRef {
  env: string;
  /** `request` -1: the plan's target. */
  request: number;
  header?: string;
  query?: string;
}

/** Every secret of a plan with its value, each named by an environment variable. */
export function planSecrets(plan: LoadPlan): { ref: SecretRef; value: string }[] {
  const extra = plan.redact ?? [];
  const out: { ref: SecretRef; value: string }[] = [];
  const envFor = (name: string, value: string): string => {
    const same = out.find((s) => s.value === value);
    if (same) return same.ref.env;
    const base = `TIERGATE_SECRET_${name.toUpperCase().replace(/[^A-Z0-9]+/g, '_')}`;
    let env = base;
    for (let n = 2; out.some((s) => s.ref.env === env); n++) env = `${base}_${n}`;
    return env;
  };
  const fromQuery = (text: string, request: number) => {
    replaceQueryValues(text, (query, value) => {
      if (isSensitive(query, extra) && value !== REDACTED) {
        out.push({ ref: { env: envFor(query, value), request, query }, value });
      }
      return value;
    });
  };
  fromQuery(plan.target, -1);
  plan.journey.requests.forEach((r, request) => {
    for (const [header, value] of Object.entries(r.headers ?? {})) {
      if (isSensitive(header, extra) && value !== REDACTED) {
        out.push({ ref: { env: envFor(header, value), request, header }, value });
      }
    }
    fromQuery(r.path, request);
  });
  return out;
}

/** The plan with each secret `refs` names replaced by `valueOf(ref)` (a copy; plan untouched). */
export function fillSecrets(
  plan: LoadPlan,
  refs: readonly SecretRef[],
  secretValue: (ref: SecretRef) => string,
): LoadPlan {
  const copy: LoadPlan = {
    ...plan,
    journey: {
      ...plan.journey,
      requests: plan.journey.requests.map((r) => ({
        ...r,
        ...(r.headers ? { headers: { ...r.headers } } : {}),
      })),
    },
  };
  const setQuery = (text: string, query: string, value: string) =>
    replaceQueryValues(text, (name, old) => (name === query ? value : old));
  for (const ref of refs) {
    const value = secretValue(ref);
    if (ref.request < 0) {
      if (ref.query !== undefined) copy.target = setQuery(copy.target, ref.query, value);
      continue;
    }
    const r = copy.journey.requests[ref.request];
    if (r === undefined) continue;
    if (ref.header !== undefined && r.headers) r.headers[ref.header] = value;
    if (ref.query !== undefined) r.path = setQuery(r.path, ref.query, value);
  }
  return copy;
}

/** The plan as artifacts may show it: every secret replaced by REDACTED. */
export function redactPlan(plan: LoadPlan): LoadPlan {
  const refs = planSecrets(plan).map((s) => s.ref);
  const redacted = fillSecrets(plan, refs, () => REDACTED);
  // A target's userinfo is turned into a header before planning; a stray one is hidden too.
  redacted.target = redactUrl(redacted.target, plan.redact ?? []);
  return redacted;
}
