// The flags of the commands that run a plan, as commander hands them over (strings). They
// become typed settings once, in run-settings.ts; nothing below the CLI sees them.

import type { DemoFlags } from './demo-flags.ts';
import type { OperatorFlags } from './k6-operator-flags.ts';
import type { SelectionOptions } from './plan-from-options.ts';

/** Flags of every command that runs a plan and writes a run folder (`run`, `gameday`). */
export interface ConductFlags extends SelectionOptions, DemoFlags {
  config?: string;
  strict?: boolean;
  summaryJson?: string;
  resultsDir?: string;
  runId?: string;
  /** Replace the run folder an earlier run with the same --run-id left. */
  force?: boolean;
  quiet?: boolean;
  /** `[host]:port` of the live metrics endpoint. */
  metricsAddr?: string;
}

/** `run`'s own besides: the engine and its flags, a baseline, a game day. */
export interface RunFlags extends ConductFlags, OperatorFlags {
  engine?: string;
  baseline?: string;
  processes?: string;
  /** `--k6 <path>`: the k6 binary of --engine k6 (else K6_BIN, else PATH). */
  k6?: string;
  /** A game day laid over the tier's steady stage (local fault proxy). */
  gameday?: string;
}
