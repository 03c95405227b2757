// `--out <name>[=<arg>]` → the output that takes the samples. One table: a new output is one
// line here.

import { createJsonOutput, type MetricInfo } from './json-output.ts';
import { EXIT, K6Exit } from './log.ts';
import type { StandinOutput } from './output.ts';
import { createPrometheusRemoteWrite } from './prometheus-rw.ts';

export interface OutputContext {
  env: Record<string, string | undefined>;
  metrics: MetricInfo;
}

export type OutputFactory = (arg: string | undefined, ctx: OutputContext) => StandinOutput;

export const OUTPUTS: Record<string, OutputFactory> = {
  json: (arg, ctx) => {
    if (!arg)
      throw new K6Exit(
        EXIT.invalidConfig,
        'the json output needs a file: --out json=<file> or json=-',
      );
    return createJsonOutput(arg, ctx.metrics);
  },
  'experimental-prometheus-rw': (_arg, ctx) => createPrometheusRemoteWrite(ctx.env),
};

export function createOutputs(
  outs: { name: string; arg: string | undefined }[],
  ctx: OutputContext,
): StandinOutput[] {
  return outs.map(({ name, arg }) => {
    const factory = OUTPUTS[name];
    if (factory === undefined) {
      throw new K6Exit(
        EXIT.invalidConfig,
        `invalid output type '${name}': the tiergate k6 stand-in has ${Object.keys(OUTPUTS).join(', ')}`,
      );
    }
    return factory(arg, ctx);
  });
}
