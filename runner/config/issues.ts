// Zod issues → ConfigIssues a person can act on: the field path as written in the file, the
// offending value, what is wrong and what is allowed. One line each.
import type { z } from 'zod';
import { ConfigError, type ConfigIssue } from '../../core/errors.ts';

type Issue = z.core.$ZodIssue;
type Path = readonly PropertyKey[];

const MAX_LINES = 10;
const MAX_VALUE = 60;
const UNKNOWN_KEY = 'unknown key';

/** `roadmaps[0].tiers[1].stages[0].duration`; odd keys as `headers["x-id"]`. */
export function formatPath(path: Path): string {
  return path
    .map((key, i) => {
      if (typeof key === 'number') return `[${key}]`;
      const name = String(key);
      if (/^[A-Za-z_$][\w$]*$/.test(name)) return i === 0 ? name : `.${name}`;
      return `[${JSON.stringify(name)}]`;
    })
    .join('');
}

/** The value as JSON, cut to 60 characters. */
export function formatValue(value: unknown): string {
  const json = JSON.stringify(value) ?? String(value);
  return json.length > MAX_VALUE ? `${json.slice(0, MAX_VALUE - 1)}…` : json;
}

function valueAt(input: unknown, path: Path): unknown {
  let value = input;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

const NOUNS: Record<string, string> = {
  int: 'a whole number',
  object: 'an object (key: value pairs)',
  array: 'a list',
  string: 'a string',
  number: 'a number',
  boolean: 'true or false',
};

function noun(expected: string): string {
  return NOUNS[expected] ?? `a ${expected}`;
}

function bound(
  kind: 'min' | 'max',
  limit: number | bigint,
  inclusive: boolean | undefined,
): string {
  const op = kind === 'min' ? (inclusive ? '>=' : '>') : inclusive ? '<=' : '<';
  return `must be ${op} ${limit}`;
}

/** Branches of a union that match the value's type, best first; undefined when none stands out. */
function bestBranch(branches: Issue[][]): Issue[] | undefined {
  const typed = branches.filter(
    (b) => b.length > 0 && !b.some((i) => i.code === 'invalid_type' && i.path.length === 0),
  );
  if (typed.length === 0) return undefined;
  const fewest = Math.min(...typed.map((b) => b.length));
  const best = typed.filter((b) => b.length === fewest);
  return best.length === 1 ? best[0] : undefined;
}

type Described = Omit<ConfigIssue, 'path' | 'value'> & { noValue?: boolean };

/**
 * The message of every issue whose schema set none. Parse with `PARSE_OPTIONS` so that a
 * message a schema did set (`.min(1, { error: '…' })`) can be told apart and shown as the fix.
 */
const GENERIC = '\u0000generic';
export const PARSE_OPTIONS = { error: () => GENERIC };

function describe(issue: Issue, value: unknown): Described {
  const described = describeByCode(issue, value);
  const own =
    issue.message !== GENERIC && issue.code !== 'custom' && issue.code !== 'invalid_union';
  if (own) described.allowed = issue.message;
  else if (described.allowed === GENERIC) delete described.allowed;
  return described;
}

function describeByCode(issue: Issue, value: unknown): Described {
  switch (issue.code) {
    case 'invalid_type':
      return { problem: `is not ${noun(issue.expected)}` };
    case 'too_small':
      if (issue.origin === 'array' && Number(issue.minimum) === 1)
        return { problem: 'is empty', allowed: 'add at least one item' };
      if (issue.origin === 'string' && Number(issue.minimum) === 1)
        return { problem: 'is empty', allowed: 'write some text' };
      return { problem: 'is too small', allowed: bound('min', issue.minimum, issue.inclusive) };
    case 'too_big':
      return { problem: 'is too large', allowed: bound('max', issue.maximum, issue.inclusive) };
    case 'invalid_value':
      return {
        problem: 'is not allowed',
        allowed: `use one of: ${issue.values.map((v) => String(v)).join(', ')}`,
      };
    case 'not_multiple_of':
      return { problem: `is not a multiple of ${issue.divisor}` };
    case 'custom': {
      const params = issue.params ?? {};
      const out: Described = { problem: issue.message };
      if (typeof params.allowed === 'string') out.allowed = params.allowed;
      if (params.noValue === true) out.noValue = true;
      return out;
    }
    case 'invalid_union':
      return value === undefined
        ? { problem: 'is missing', allowed: issue.message }
        : { problem: 'is not valid', allowed: issue.message };
    default:
      return { problem: 'is not valid', allowed: issue.message };
  }
}

function describeMissing(issue: Issue): string {
  if (issue.message !== GENERIC || issue.code === 'invalid_union') return issue.message;
  if (issue.code === 'invalid_value') return `one of ${issue.values.map(String).join(', ')}`;
  return issue.code === 'invalid_type' ? noun(issue.expected) : 'a value';
}

function collect(
  issue: Issue,
  input: unknown,
  prefix: Path,
  out: ConfigIssue[],
  locate: Locate | undefined,
): void {
  const path = [...prefix, ...issue.path];
  const push = (at: Path, found: Omit<ConfigIssue, 'path'>) =>
    out.push({ path: formatPath(at), ...found, ...locate?.(at) });
  if (issue.code === 'invalid_union') {
    const branch = bestBranch(issue.errors);
    if (branch !== undefined) {
      for (const inner of branch) collect(inner, input, path, out, locate);
      return;
    }
  }
  if (issue.code === 'unrecognized_keys') {
    for (const key of issue.keys) {
      push([...path, key], { problem: UNKNOWN_KEY, allowed: issue.message });
    }
    return;
  }
  const value = valueAt(input, path);
  if (value === undefined && issue.code !== 'custom') {
    const key = path[path.length - 1];
    const allowed =
      issue.code === 'invalid_union' || typeof key !== 'string'
        ? describeMissing(issue)
        : `add ${key}: ${describeMissing(issue)}`;
    push(path, { problem: 'is missing', allowed });
    return;
  }
  const { noValue, ...described } = describe(issue, value);
  if (path.length === 0 && issue.code === 'invalid_type') {
    described.allowed = 'a config file holds a mapping: roadmaps: [ … ]';
  }
  const shown = noValue || value === undefined ? {} : { value };
  push(path, { ...shown, ...described });
}

/** Where a value sits in the file, when the file format can tell. */
export type Locate = (path: Path) => { line: number; column: number } | undefined;

/** Every issue of a failed parse, in the order zod found them. */
export function configIssues(error: z.ZodError, input: unknown, locate?: Locate): ConfigIssue[] {
  const out: ConfigIssue[] = [];
  for (const issue of error.issues) collect(issue, input, [], out, locate);
  // A mistyped key also makes the key it was meant to be "missing": name the typo first.
  const unknownKey = (i: ConfigIssue) => (i.problem === UNKNOWN_KEY ? 0 : 1);
  return out.sort((a, b) => unknownKey(a) - unknownKey(b));
}

/** One line: `tiergate.yaml:3:7: roadmaps[0].id: "a b" is not valid (use letters, …)`. */
export function formatIssue(file: string, issue: ConfigIssue): string {
  const at = issue.line === undefined ? file : `${file}:${issue.line}:${issue.column ?? 1}`;
  const where = issue.path === '' ? at : `${at}: ${issue.path}`;
  const value = 'value' in issue ? `${formatValue(issue.value)} ` : '';
  const allowed = issue.allowed === undefined ? '' : ` (${issue.allowed})`;
  return `${where}: ${value}${issue.problem}${allowed}`;
}

/** A ConfigError with one line per issue (at most ten, then a count of the rest). */
export function configError(file: string, issues: ConfigIssue[]): ConfigError {
  const lines = issues.slice(0, MAX_LINES).map((i) => formatIssue(file, i));
  if (issues.length > MAX_LINES) lines.push(`${file}: … and ${issues.length - MAX_LINES} more`);
  return new ConfigError(lines.join('\n'), file, issues);
}
