// A process's state letter as `ps` shows it (`T` stopped, `S` sleeping, …), or `gone`.
import { execFileSync } from 'node:child_process';

export function processState(pid: number): string {
  try {
    return execFileSync('ps', ['-o', 'stat=', '-p', String(pid)], { encoding: 'utf8' }).trim();
  } catch {
    return 'gone';
  }
}
