// Where the CLI writes: results and verdicts on stdout, plan and progress on stderr (so
// `--dry-run`-style output and pipes stay clean). Colour is decided per stream (color.ts).
import { streamColor } from './color.ts';

export interface Terminal {
  /** A line on stdout. */
  out(text: string): void;
  /** A line on stderr: the plan, notes, progress. `--quiet` drops these. */
  info(text: string): void;
  /** A line on stderr that is always shown, `--quiet` or not. */
  error(text: string): void;
  /** stderr is a TTY (the live progress line). */
  readonly isTty: boolean;
  /** Colour on stdout (what `out` writes). */
  readonly color: boolean;
  /** Colour on stderr (what `info` and `error` write). */
  readonly infoColor: boolean;
}

/**
 * A reader that goes away (`tiergate tiers | head`) must not crash a run mid-way: its cleanup
 * (faults, child processes, cluster objects) still has to happen, so the output is dropped.
 */
function dropOutputOnClosedPipe(stream: NodeJS.WriteStream): void {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') throw err;
  });
}

export interface TerminalOptions {
  /** `--no-color`: no colour on either stream, whatever the environment says. */
  noColor?: boolean;
}

export function processTerminal(options: TerminalOptions = {}): Terminal {
  dropOutputOnClosedPipe(process.stdout);
  dropOutputOnClosedPipe(process.stderr);
  const noColor = options.noColor === true;
  return {
    out: (text) => process.stdout.write(`${text}\n`),
    info: (text) => process.stderr.write(`${text}\n`),
    error: (text) => process.stderr.write(`${text}\n`),
    isTty: process.stderr.isTTY === true,
    color: !noColor && streamColor(process.stdout),
    infoColor: !noColor && streamColor(process.stderr),
  };
}

/** `--quiet`: the same terminal without its chatter; errors and `out` still go through. */
export function quietTerminal(term: Terminal): Terminal {
  return { ...term, info: () => {} };
}

/**
 * stdout taken by a machine-readable document (`--summary-json -`): everything else meant for
 * stdout goes to stderr, in stderr's colour, so the document is all a pipe reads.
 */
export function stdoutTaken(term: Terminal): Terminal {
  return { ...term, out: (text) => term.error(text), color: term.infoColor };
}
