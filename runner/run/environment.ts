// What machine and versions a run had: recorded in every run.json so numbers can be compared
// with their context.
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { packageRoot } from '../../core/package-root.ts';
import type { RunEnvironment } from '../../thresholds/result.ts';

const pkg = JSON.parse(
  readFileSync(join(packageRoot(import.meta.url), 'package.json'), 'utf8'),
) as {
  version: string;
};

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
