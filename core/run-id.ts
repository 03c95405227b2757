// Run ids: the name of a run's folder under the results folder, of its Kubernetes labels and
// objects. A run id is a name, never a path: a safe charset and a bounded length.
import { randomBytes } from 'node:crypto';
import { UsageError } from './errors.ts';

/** Letters, digits, `.`, `_`, `-`; starting with a letter or digit (so never `.` or `..`). */
const RUN_ID = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
export const RUN_ID_MAX = 100;

/** The id `--run-id` gave, checked, or a new one made from `what`. */
export function resolveRunId(given: string | undefined, what: string): string {
  if (given === undefined) return runIdFor(what);
  checkRunId(given);
  return given;
}

export function checkRunId(id: string): void {
  if (id.length > RUN_ID_MAX || !RUN_ID.test(id)) {
    const shown =
      id.length > 60
        ? `${JSON.stringify(id.slice(0, 60))}… (${id.length} characters)`
        : JSON.stringify(id);
    throw new UsageError(
      `--run-id ${shown} is not a run id: use 1 to ${RUN_ID_MAX} letters, digits, '.', '_' or '-', starting with a letter or digit`,
      'a run id names a folder inside --results-dir, never a path (e.g. --run-id nightly-2026-12-02)',
    );
  }
}

/** `<UTC time>-<what>-<4 hex>`: sortable, readable, unique enough for one results folder. */
export function runIdFor(what: string): string {
  const stamp = new Date().toISOString().replace(/[:]/g, '-').replace(/\..*$/, '');
  // A roadmap or game day id from a user's config may hold any character: keep the safe ones.
  const safe = what.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, RUN_ID_MAX - 30);
  return `${stamp}-${safe}-${randomBytes(2).toString('hex')}`;
}
