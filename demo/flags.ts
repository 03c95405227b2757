// The demo's options as command-line flags (`--capacity-rps 500`), both ways: main.ts parses
// them, spawn.ts writes them.
import type { DemoOptionError, DemoOptions } from './options.ts';

export const OPTION_FLAGS = {
  host: '--host',
  port: '--port',
  capacityRps: '--capacity-rps',
  serviceTimeMs: '--service-time-ms',
  jitterMs: '--jitter-ms',
  checkoutTimeMs: '--checkout-time-ms',
  errorRate: '--error-rate',
  queueLimit: '--queue-limit',
  name: '--name',
} as const satisfies Record<keyof DemoOptions, string>;

const TEXT_OPTIONS = new Set<keyof DemoOptions>(['host', 'name']);

/** A flag with a bad value; the message is one line naming the flag and the value. */
export class FlagError extends Error {
  override name = 'FlagError';
}

/** Flags for the options that are set (undefined ones are left to the defaults). */
export function toFlags(options: Partial<DemoOptions>): string[] {
  const args: string[] = [];
  for (const [key, flag] of Object.entries(OPTION_FLAGS) as [keyof DemoOptions, string][]) {
    const value = options[key];
    if (value !== undefined) args.push(flag, String(value));
  }
  return args;
}

/** Options from parseArgs' string values keyed by flag name without dashes. */
export function fromFlags(
  values: Record<string, string | boolean | undefined>,
): Partial<DemoOptions> {
  const options: Record<string, string | number> = {};
  for (const [key, flag] of Object.entries(OPTION_FLAGS) as [keyof DemoOptions, string][]) {
    const text = values[flag.slice(2)];
    if (typeof text !== 'string') continue;
    if (TEXT_OPTIONS.has(key)) {
      options[key] = text;
      continue;
    }
    const value = Number(text);
    if (text.trim() === '' || !Number.isFinite(value)) {
      throw new FlagError(`${flag} ${JSON.stringify(text)} is not a number`);
    }
    options[key] = value;
  }
  return options as Partial<DemoOptions>;
}

/** A DemoOptionError told in terms of the flag the user typed. */
export function flagMessage(err: DemoOptionError): string {
  const value = typeof err.value === 'string' ? JSON.stringify(err.value) : String(err.value);
  return `${OPTION_FLAGS[err.option]} ${value} is invalid: must be ${err.allowed}`;
}
