// Errors a user can fix print one line (problem and fix) and their exit code; anything else is
// a bug or a crash: its stack is shown and the run "could not complete" (exit 3).
import { TiergateError } from '../errors.ts';
import { EXIT } from '../exit-codes.ts';
import type { Terminal } from './terminal.ts';

export function reportError(err: unknown, term: Terminal): number {
  if (err instanceof TiergateError) {
    term.info(`tiergate: ${err.message}${err.hint ? `\n  fix: ${err.hint}` : ''}`);
    return err.exitCode;
  }
  term.info(
    `tiergate: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`,
  );
  return EXIT.runError;
}
