// Where the CLI writes: results and verdicts on stdout, plan and progress on stderr (so
// `--dry-run`-style output and pipes stay clean). Colour only on a TTY without NO_COLOR.
export interface Terminal {
  out(text: string): void;
  info(text: string): void;
  readonly isTty: boolean;
  readonly color: boolean;
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

export function processTerminal(): Terminal {
  dropOutputOnClosedPipe(process.stdout);
  dropOutputOnClosedPipe(process.stderr);
  const isTty = process.stderr.isTTY === true;
  return {
    out: (text) => process.stdout.write(`${text}\n`),
    info: (text) => process.stderr.write(`${text}\n`),
    isTty,
    color: isTty && process.env.NO_COLOR === undefined && process.env.TERM !== 'dumb',
  };
}
