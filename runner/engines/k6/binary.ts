// Finds the user's k6: `--k6 <path>`, else K6_BIN, else `k6` on PATH. tiergate ships no k6 and
// builds none. Its version must be in the supported range: below the minimum is refused (exit
// 3, naming both versions), a major beyond the last one verified gets a warning.
import { execFile } from 'node:child_process';
import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import { RunError } from '../../../core/errors.ts';
import { K6_MINIMUM_VERSION, K6_VERIFIED_VERSION } from './pinned.ts';

export interface K6Binary {
  path: string;
  /** `v1.8.1` */
  version: string;
  /** What `k6 version` printed, e.g. `k6 v1.8.1 (go1.26.8, linux/amd64)`. */
  versionLine: string;
  /** Set when the version is newer than any tiergate verified: say it, then go on. */
  warning?: string;
}

export interface FindK6Options {
  /** `--k6 <path>`: wins over K6_BIN and PATH. */
  explicit?: string;
  /** Environment to read K6_BIN and PATH from (default: process.env). */
  env?: Record<string, string | undefined>;
}

/** Grafana's page on installing k6: packages, Docker, release binaries. */
export const K6_INSTALL_PAGE = 'https://grafana.com/docs/k6/latest/set-up/install-k6/';

export const INSTALL_HINT = `install k6 (${K6_INSTALL_PAGE}) and put it on PATH, or name it with --k6 <path> or K6_BIN`;

async function executable(file: string): Promise<boolean> {
  try {
    await access(file, constants.X_OK);
    return (await stat(file)).isFile();
  } catch {
    return false;
  }
}

async function locate(options: FindK6Options): Promise<{ path?: string; from: string }> {
  const env = options.env ?? process.env;
  const named = options.explicit ?? (env.K6_BIN || undefined);
  if (named !== undefined) {
    const from = options.explicit !== undefined ? '--k6' : 'K6_BIN';
    return (await executable(named)) ? { path: named, from } : { from: `${from}=${named}` };
  }
  const name = process.platform === 'win32' ? 'k6.exe' : 'k6';
  for (const dir of (env.PATH ?? '').split(delimiter).filter(Boolean)) {
    const candidate = join(dir, name);
    if (await executable(candidate)) return { path: candidate, from: 'PATH' };
  }
  return { from: 'PATH' };
}

/** `v1.8.1` → [1, 8, 1]. */
export function versionParts(version: string): [number, number, number] {
  const m = /^v?(\d+)\.(\d+)\.(\d+)/.exec(version);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : [0, 0, 0];
}

function below(a: string, b: string): boolean {
  const [x, y] = [versionParts(a), versionParts(b)];
  for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return x[i]! < y[i]!;
  return false;
}

export async function findK6(options: FindK6Options = {}): Promise<K6Binary> {
  const { path, from } = await locate(options);
  if (path === undefined) {
    const where =
      from === 'PATH' ? 'not on PATH, no --k6, no K6_BIN' : `${from} is not an executable file`;
    throw new RunError(`k6 was not found (${where}); tiergate does not ship k6`, INSTALL_HINT);
  }
  let out: string;
  try {
    ({ stdout: out } = await promisify(execFile)(path, ['version'], { timeout: 30_000 }));
  } catch (err) {
    throw new RunError(`k6 at ${path} does not run: ${(err as Error).message}`, INSTALL_HINT);
  }
  const versionLine = out.trim().split('\n')[0] ?? '';
  const version = /\bv\d+\.\d+\.\d+\S*/.exec(versionLine)?.[0];
  if (version === undefined) {
    throw new RunError(`k6 at ${path} printed no version ("${versionLine}")`, INSTALL_HINT);
  }
  if (below(version, K6_MINIMUM_VERSION)) {
    throw new RunError(
      `k6 at ${path} is ${version}; tiergate needs k6 ${K6_MINIMUM_VERSION} or newer`,
      `install a newer k6 (${K6_INSTALL_PAGE}), e.g. ${K6_VERIFIED_VERSION}`,
    );
  }
  const binary: K6Binary = { path, version, versionLine };
  if (versionParts(version)[0] > versionParts(K6_VERIFIED_VERSION)[0]) {
    binary.warning =
      `k6 ${version} is newer than the k6 tiergate was last verified with (${K6_VERIFIED_VERSION}); ` +
      'verify it with K6_BIN=<path> npm run test:k6';
  }
  return binary;
}
