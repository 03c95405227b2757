// Who a process is, beyond its pid: its start time (clock ticks since boot, from /proc) and its
// command line. A pid alone names whatever process has it now; pid and start time together
// name one process for its whole life, so a pid reused by another process is never mistaken
// for the one recorded (a frozen replica, the runner holding a run folder's lock).
import { readFileSync } from 'node:fs';

export interface ProcessIdentity {
  pid: number;
  /** Field 22 of /proc/<pid>/stat: when the process started, in clock ticks since boot. */
  startTicks: number;
  /** Its argv, as /proc/<pid>/cmdline holds it. */
  argv: string[];
}

/** The identity of a live process, or undefined when there is none with that pid (or no /proc). */
export function processIdentity(pid: number): ProcessIdentity | undefined {
  if (!isUsablePid(pid)) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // `pid (comm) state ppid …`: comm may hold spaces and parentheses, so split after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // fields[0] is field 3 (state), so field 22 is fields[19].
    const startTicks = Number(fields[19]);
    if (!Number.isSafeInteger(startTicks)) return undefined;
    const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
    return { pid, startTicks, argv };
  } catch {
    return undefined;
  }
}

/** A pid that names one process: a positive integer (0 and negatives name process groups). */
export function isUsablePid(pid: unknown): pid is number {
  return typeof pid === 'number' && Number.isSafeInteger(pid) && pid > 0;
}

/** Whether `recorded` is still alive as the same process (same pid, same start time). */
export function isSameProcess(recorded: { pid: number; startTicks: number }): boolean {
  return processIdentity(recorded.pid)?.startTicks === recorded.startTicks;
}

/** This process's process group (field 5 of /proc/self/stat), or undefined without /proc. */
export function ownProcessGroup(): number | undefined {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const pgrp = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
    return Number.isSafeInteger(pgrp) ? pgrp : undefined;
  } catch {
    return undefined;
  }
}
