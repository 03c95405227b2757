// The `run` command's flags as commander hands them over (strings), shared by `gameday`.

import type { OperatorFlags } from '../engines/k6-operator/flags.ts';
import type { DemoFlags } from './demo-flags.ts';
import type { SelectionOptions } from './plan-from-options.ts';

export interface RunFlags extends SelectionOptions, DemoFlags, OperatorFlags {
  config?: string;
  engine?: string;
  baseline?: string;
  strict?: boolean;
  summaryJson?: string;
  resultsDir?: string;
  runId?: string;
  /** Replace the run folder an earlier run with the same --run-id left. */
  force?: boolean;
  quiet?: boolean;
  processes?: string;
  /** `--k6 <path>`: the k6 binary of --engine k6 (else K6_BIN, else PATH). */
  k6?: string;
  /** A game day laid over the tier's steady stage (local fault proxy). */
  gameday?: string;
}
