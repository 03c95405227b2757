// Versions of everything the figures depend on: the peers, the runtime, the machine.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { NGINX } from './lib/nginx.ts';
import { canPin } from './lib/pin.ts';
import { wrkVersion } from './peers/wrk.ts';

export interface Versions {
  tiergate: string;
  node: string;
  undici: string;
  hdrHistogramJs: string;
  autocannon: string;
  /** k6's version line; absent when k6 was not measured (no K6_BIN). */
  k6?: string;
  wrk: string;
  nginx: string;
  cpu: string;
  cores: number;
  pinned: boolean;
}

const require = createRequire(import.meta.url);
const pkg = (name: string): string =>
  (require(`${name}/package.json`) as { version: string }).version;

function nginxVersion(): string {
  // nginx -v writes its version to stderr.
  const r = spawnSync(NGINX, ['-v'], { encoding: 'utf8' });
  return r.error ? 'unknown' : r.stderr.trim().replace(/^nginx version:\s*/, '');
}

function cpuModel(): string {
  try {
    return /model name\s*:\s*(.+)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1]?.trim() ?? '';
  } catch {
    return '';
  }
}

export function versions(k6VersionLine: string | undefined): Versions {
  const root = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return {
    tiergate: root.version,
    node: process.version,
    undici: pkg('undici'),
    hdrHistogramJs: pkg('hdr-histogram-js'),
    autocannon: pkg('autocannon'),
    ...(k6VersionLine === undefined ? {} : { k6: k6VersionLine }),
    wrk: wrkVersion(),
    nginx: nginxVersion(),
    cpu: cpuModel(),
    cores: availableParallelism(),
    pinned: canPin(),
  };
}
