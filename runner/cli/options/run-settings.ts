// The options step of `run` and `gameday`: commander's strings become typed settings here,
// once. Each lower layer takes its own slice (the engine's settings, where results go).

import { DEFAULT_RESULTS_DIR } from '../../../reports/store/read.ts';
import type { EngineSettings } from '../../engines/settings.ts';
import type { RunSettings } from '../../run/settings.ts';
import {
  operatorSettings,
  operatorTargetWarning,
  refuseOperatorFlags,
} from './k6-operator-flags.ts';
import { parseMetricsAddr } from './metrics-addr.ts';
import { parseNumber } from './plan-from-options.ts';
import type { ConductFlags, RunFlags } from './run-flags.ts';

const LOCAL: EngineSettings = { kind: 'local' };

/** The settings of a run on `engine` (the embedded one unless given). */
export function conductSettings(flags: ConductFlags, engine: EngineSettings = LOCAL): RunSettings {
  return {
    engine,
    output: {
      resultsDir: flags.resultsDir ?? DEFAULT_RESULTS_DIR,
      runId: flags.runId,
      force: flags.force === true,
      summaryJson: flags.summaryJson,
      quiet: flags.quiet === true,
      metrics: parseMetricsAddr(flags.metricsAddr),
    },
    strict: flags.strict === true,
  };
}

/**
 * `run`'s settings: the engine `--engine` names with its own flags (another engine's are
 * refused), and a warning to show before anything runs.
 */
export function runSettings(flags: RunFlags): { settings: RunSettings; warning?: string } {
  refuseOperatorFlags(flags);
  const { engine, warning } = engineSettings(flags);
  return {
    settings: { ...conductSettings(flags, engine), baseline: flags.baseline },
    ...(warning !== undefined ? { warning } : {}),
  };
}

function engineSettings(flags: RunFlags): { engine: EngineSettings; warning?: string | undefined } {
  switch (flags.engine ?? 'local') {
    case 'k6':
      return {
        engine: {
          kind: 'k6',
          processes: Math.floor(parseNumber('--processes', flags.processes, 1, 64) ?? 1),
          binary: flags.k6,
        },
      };
    case 'k6-operator':
      return { engine: operatorSettings(flags), warning: operatorTargetWarning(flags.target) };
    default:
      return { engine: LOCAL };
  }
}
