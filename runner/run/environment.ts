// What machine and versions a run had: recorded in every run.json so numbers can be compared
// with their context.
import { createRequire } from 'node:module';
import os from 'node:os';
import type { RunEnvironment } from '../../thresholds/result.ts';

const pkg = createRequire(import.meta.url)('../../package.json') as { version: string };

export const TIERGATE_VERSION = pkg.version;

export function runEnvironment(): RunEnvironment {
  const cpus = os.cpus();
  return {
    tiergate: TIERGATE_VERSION,
    node: process.version,
    platform: os.platform(),
    arch: os.arch(),
    cpus: cpus.length,
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    totalMemMb: Math.round(os.totalmem() / 1024 / 1024),
  };
}
