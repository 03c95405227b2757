// What one run is asked to do beyond its plan: the engine, where results go, the baseline,
// how strict the gate is. The CLI fills it from its flags.
import type { EngineSettings } from '../engines/settings.ts';
import type { MetricsAddress } from '../metrics/endpoint.ts';

export interface OutputSettings {
  resultsDir: string;
  /** The run folder's name; made from the time, roadmap and tier when absent. */
  runId?: string | undefined;
  /** Replace the folder an earlier run with the same id left. */
  force: boolean;
  summaryJson?: string | undefined;
  /** No progress line. */
  quiet: boolean;
  /** Serve live metrics here during the run. */
  metrics?: MetricsAddress | undefined;
}

export interface RunSettings {
  engine: EngineSettings;
  output: OutputSettings;
  /** A run folder, run.json or `latest-pass`, for baseline-relative objectives. */
  baseline?: string | undefined;
  /** A warn or unproven verdict fails. */
  strict: boolean;
}
