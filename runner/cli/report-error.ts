// Errors a user can fix print one line (problem and fix) and their exit code; anything else is
// a bug or a crash: one line with where it happened, and the run "could not complete" (exit 3).
import { TiergateError } from '../../core/errors.ts';
import { EXIT } from '../../core/exit-codes.ts';
import type { Terminal } from '../../core/terminal.ts';

export function reportError(err: unknown, term: Terminal): number {
  if (err instanceof TiergateError) {
    term.error(`tiergate: ${err.message}${err.hint ? `\n  fix: ${err.hint}` : ''}`);
    return err.exitCode;
  }
  term.error(internalErrorLine(err));
  return EXIT.runError;
}

/** `tiergate: internal error: <message> (at <first frame>)`: one line, never a whole stack. */
export function internalErrorLine(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  const frame = err instanceof Error ? /\n\s+at (.+)/.exec(err.stack ?? '')?.[1] : undefined;
  const firstLine = message.split('\n')[0] ?? message;
  return `tiergate: internal error: ${firstLine}${frame ? ` (at ${frame})` : ''}`;
}
