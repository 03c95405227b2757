// Finds the k6 binary: on PATH first, then the project-local one `scripts/install-k6.sh`
// builds. Missing k6 is a run error whose hint says how to get it.
import { execFile } from 'node:child_process';
import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import { RunError } from '../../errors.ts';
import { LOCAL_K6 } from './paths.ts';

export interface K6Binary {
  path: string;
  /** `v1.8.1` */
  version: string;
  /** What `k6 version` printed, e.g. `k6 v1.8.1 (go1.26.8, linux/amd64)`. */
  versionLine: string;
}

export interface FindK6Options {
  /** Directories to search, PATH-style (default: $PATH). */
  pathEnv?: string;
  /** The project-local binary (default: `.tiergate/bin/k6`). */
  localBin?: string;
}

export const INSTALL_HINT =
  'run `bash scripts/install-k6.sh` (builds the pinned k6 into .tiergate/bin with Go ≥ 1.25), ' +
  'or install k6 on PATH: https://grafana.com/docs/k6/latest/set-up/install-k6/';

async function executable(file: string): Promise<boolean> {
  try {
    await access(file, constants.X_OK);
    return (await stat(file)).isFile();
  } catch {
    return false;
  }
}

async function locate(options: FindK6Options): Promise<string | undefined> {
  const name = process.platform === 'win32' ? 'k6.exe' : 'k6';
  const dirs = (options.pathEnv ?? process.env.PATH ?? '').split(delimiter).filter(Boolean);
  for (const dir of dirs) {
    const candidate = join(dir, name);
    if (await executable(candidate)) return candidate;
  }
  const local = options.localBin ?? LOCAL_K6;
  return (await executable(local)) ? local : undefined;
}

export async function findK6(options: FindK6Options = {}): Promise<K6Binary> {
  const path = await locate(options);
  if (path === undefined) {
    throw new RunError('k6 was not found (not on PATH, not in .tiergate/bin/k6)', INSTALL_HINT);
  }
  let out: string;
  try {
    ({ stdout: out } = await promisify(execFile)(path, ['version'], { timeout: 15_000 }));
  } catch (err) {
    throw new RunError(`k6 at ${path} does not run: ${(err as Error).message}`, INSTALL_HINT);
  }
  const versionLine = out.trim().split('\n')[0] ?? '';
  const version = /\bv\d+\.\d+\.\d+\S*/.exec(versionLine)?.[0];
  if (version === undefined) {
    throw new RunError(`k6 at ${path} printed no version ("${versionLine}")`, INSTALL_HINT);
  }
  return { path, version, versionLine };
}
