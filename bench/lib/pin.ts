// CPU pinning: on a machine with ≥ 2 cores the target gets one core and every load generator
// the other, so a generator's figures are "per core" and never steal the target's CPU.
import { execFileSync } from 'node:child_process';
import { availableParallelism } from 'node:os';

export const GENERATOR_CORE = 0;
export const TARGET_CORE = 1;

let cached: boolean | undefined;

/** taskset exists and there are two cores to split. */
export function canPin(): boolean {
  if (cached === undefined) {
    cached = false;
    if (availableParallelism() >= 2) {
      try {
        execFileSync('taskset', ['-c', '0', 'true'], { stdio: 'ignore' });
        cached = true;
      } catch {
        cached = false;
      }
    }
  }
  return cached;
}

/** The command line that runs `command args` on `core` (unpinned when pinning is unavailable). */
export function pinned(core: number, command: string, args: string[]): [string, string[]] {
  return canPin() ? ['taskset', ['-c', String(core), command, ...args]] : [command, args];
}
