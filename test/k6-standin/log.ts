// k6's log lines on stderr, in logfmt: `time="…" level=error msg="…"`.

export type Level = 'debug' | 'info' | 'warning' | 'error';

function quote(value: string): string {
  const escaped = value
    .replace(/\\/g, '\\\\')
    .replace(/"/g, '\\"')
    .replace(/\n/g, '\\n')
    .replace(/\t/g, '\\t');
  return `"${escaped}"`;
}

export function logLine(level: Level, msg: string, fields: Record<string, string> = {}): string {
  const extra = Object.entries(fields).map(
    ([k, v]) => ` ${k}=${/^[\w.-]+$/.test(v) ? v : quote(v)}`,
  );
  return `time=${quote(new Date().toISOString())} level=${level} msg=${quote(msg)}${extra.join('')}\n`;
}

export function log(level: Level, msg: string, fields: Record<string, string> = {}): void {
  process.stderr.write(logLine(level, msg, fields));
}

/** An error that ends the stand-in with one of k6's exit codes. */
export class K6Exit extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

/** k6's exit codes the stand-in uses (k6 errext/exitcodes). */
export const EXIT = {
  thresholds: 99,
  invalidConfig: 104,
  interrupted: 105,
  cannotStartApi: 106,
  scriptException: 107,
  scriptAborted: 108,
} as const;
