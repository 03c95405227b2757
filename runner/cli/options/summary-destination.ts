// `--summary-json <file|->`: `-` is stdout; a path must be a regular file or new, checked before
// any load so a run is not wasted on a path its summary could never be written to.
import { UsageError } from '../../../core/errors.ts';
import { irreplaceableKind } from '../../../core/file-kind.ts';
import type { SummaryDestination } from '../../run/settings.ts';

export function summaryDestination(value: string | undefined): SummaryDestination | undefined {
  if (value === undefined) return undefined;
  if (value === '-') return { kind: 'stdout' };
  const kind = irreplaceableKind(value);
  if (kind !== undefined) {
    throw new UsageError(
      `--summary-json ${JSON.stringify(value)} is ${kind}: tiergate writes files whole and never replaces links, devices or FIFOs`,
      'use --summary-json - for stdout, or name a regular file',
    );
  }
  return { kind: 'file', path: value };
}
