// Whether to colour one output stream. supports-color reads the stream's TTY, FORCE_COLOR
// (FORCE_COLOR=0 turns it off), TERM=dumb and CI; it ignores NO_COLOR, so that is checked here
// (https://no-color.org: set and not empty). Flags are not sniffed from argv: `--no-color` is
// the CLI's to parse.
import { createSupportsColor } from 'supports-color';

export function streamColor(
  stream: NodeJS.WriteStream,
  env: NodeJS.ProcessEnv = process.env,
): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  return createSupportsColor(stream, { sniffFlags: false }) !== false;
}
