// `tiergate chaos cleanup`: undoes faults that killed runs left behind, from their ledgers.
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { cleanupLedger, LEDGER_FILE } from '../../chaos/local/ledger.ts';
import { UsageError } from '../errors.ts';
import { EXIT } from '../exit-codes.ts';
import type { Terminal } from './terminal.ts';

export async function chaosCleanupCommand(
  flags: { runId?: string; resultsDir?: string },
  term: Terminal,
): Promise<number> {
  const results = resolve(flags.resultsDir ?? 'results');
  const runs =
    flags.runId !== undefined ? [flags.runId] : existsSync(results) ? readdirSync(results) : [];
  if (flags.runId !== undefined && !existsSync(join(results, flags.runId))) {
    throw new UsageError(`no run ${flags.runId} in ${results}`);
  }
  let undone = 0;
  for (const run of runs) {
    const dir = join(results, run);
    if (!existsSync(join(dir, LEDGER_FILE))) continue;
    for (const action of cleanupLedger(dir)) {
      term.out(`${run}: ${action}`);
      undone++;
    }
  }
  term.out(
    undone === 0
      ? 'nothing to clean up: every recorded fault was removed'
      : `${undone} leftover fault(s) handled`,
  );
  return EXIT.pass;
}
