// The labels every Kubernetes object tiergate creates carries: `chaos cleanup` finds leftovers
// by them, and a run's objects by its id.
import { createHash } from 'node:crypto';

export const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';
export const MANAGED_BY = 'tiergate';
export const RUN_ID_LABEL = 'tiergate.dev/run-id';

/** Selects every object tiergate created, or those of one run. */
export function tiergateSelector(runId?: string): string {
  const managed = `${MANAGED_BY_LABEL}=${MANAGED_BY}`;
  return runId === undefined ? managed : `${managed},${RUN_ID_LABEL}=${labelValue(runId)}`;
}

export function runLabels(runId: string): Record<string, string> {
  return { [MANAGED_BY_LABEL]: MANAGED_BY, [RUN_ID_LABEL]: labelValue(runId) };
}

/**
 * A label value: at most 63 characters of [A-Za-z0-9._-], starting and ending alphanumeric. A
 * longer text is cut and ends in 8 hex digits of its hash, so two long run ids that share their
 * first 54 characters (the same game day started in the same second) keep distinct labels.
 */
export function labelValue(text: string): string {
  let cleaned = text.replace(/[^A-Za-z0-9._-]/g, '-');
  if (cleaned.length > 63) cleaned = `${cleaned.slice(0, 54)}-${hash8(text)}`;
  return cleaned.replace(/^[^A-Za-z0-9]+/, '').replace(/[^A-Za-z0-9]+$/, '');
}

function hash8(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 8);
}

/**
 * An object name (DNS-1123 subdomain, kept ≤ 52 characters so that controllers can append
 * suffixes such as `-initializer` or `-3`): lower case, digits and '-'.
 */
export function objectName(...parts: string[]): string {
  return trimDashes(dnsName(parts).slice(0, 52));
}

/**
 * An object name of at most `max` characters that stays unique: a name that does not fit is
 * cut and ends in 8 hex digits of the whole name's hash.
 */
export function boundedName(max: number, ...parts: string[]): string {
  const name = trimDashes(dnsName(parts));
  if (name.length <= max) return name;
  const hash = hash8(parts.join('-'));
  return `${trimDashes(name.slice(0, max - hash.length - 1))}-${hash}`;
}

function dnsName(parts: string[]): string {
  return parts
    .join('-')
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/-+/g, '-');
}

function trimDashes(name: string): string {
  return name.replace(/^-+/, '').replace(/-+$/, '');
}
