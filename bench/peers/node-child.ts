// Runs one of the bench's TypeScript children (bench/children/*.ts) in its own Node process,
// pinned to the generator core, and returns its JSON result and peak RSS.
import { fileURLToPath } from 'node:url';
import { nodeArgsFor } from '../../core/own-modules.ts';
import { lastJson, runChild } from '../lib/child.ts';
import { GENERATOR_CORE, pinned } from '../lib/pin.ts';

export interface NodeChildRun<T> {
  result: T;
  peakRssMb: number;
  wallMs: number;
}

export async function runNodeChild<T>(
  name: string,
  spec: unknown,
  timeoutMs: number,
  nodeArgs: string[] = [],
): Promise<NodeChildRun<T>> {
  const entry = new URL(`../children/${name}.ts`, import.meta.url);
  const [cmd, args] = pinned(GENERATOR_CORE, process.execPath, [
    ...nodeArgsFor(entry),
    ...nodeArgs,
    fileURLToPath(entry),
    JSON.stringify(spec),
  ]);
  const r = await runChild(cmd, args, { timeoutMs });
  if (r.code !== 0) {
    throw new Error(
      `bench child ${name} exited with ${r.code}: ${r.stderr.trim().split('\n').slice(-5).join(' | ')}`,
    );
  }
  return {
    result: lastJson<T>(r, `bench child ${name}`),
    peakRssMb: r.peakRssMb,
    wallMs: r.wallMs,
  };
}
