// Where the CLI writes: results and verdicts on stdout, plan and progress on stderr (so
// `--dry-run`-style output and pipes stay clean). Colour only on a TTY without NO_COLOR.
export interface Terminal {
  out(text: string): void;
  info(text: string): void;
  readonly isTty: boolean;
  readonly color: boolean;
}

export function processTerminal(): Terminal {
  const isTty = process.stderr.isTTY === true;
  return {
    out: (text) => process.stdout.write(`${text}\n`),
    info: (text) => process.stderr.write(`${text}\n`),
    isTty,
    color: isTty && process.env.NO_COLOR === undefined && process.env.TERM !== 'dumb',
  };
}
