// The fault ledger: every fault is written to `<run>/faults.ledger.jsonl` (and synced) before it
// is applied, and again when it is removed, so a killed runner leaves a record of what may still
// be in place. Proxy faults die with the runner's process; frozen replicas (SIGSTOP) do not, so
// the ledger keeps their pid for `tiergate chaos cleanup`.
import {
  appendFileSync,
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
} from 'node:fs';
import { join } from 'node:path';

export const LEDGER_FILE = 'faults.ledger.jsonl';

export type LedgerEntry =
  | { event: 'apply'; id: string; kind: string; at: string; pid?: number }
  | { event: 'remove'; id: string; at: string };

export class FaultLedger {
  private readonly file: string;

  constructor(runDir: string) {
    mkdirSync(runDir, { recursive: true });
    this.file = join(runDir, LEDGER_FILE);
  }

  private write(entry: LedgerEntry): void {
    appendFileSync(this.file, `${JSON.stringify(entry)}\n`);
    const fd = openSync(this.file, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }

  applying(id: string, kind: string, pid?: number): void {
    this.write({
      event: 'apply',
      id,
      kind,
      at: new Date().toISOString(),
      ...(pid !== undefined ? { pid } : {}),
    });
  }

  removed(id: string): void {
    this.write({ event: 'remove', id, at: new Date().toISOString() });
  }
}

/** Faults applied and never removed, from a run folder's ledger. */
export function openFaults(runDir: string): Extract<LedgerEntry, { event: 'apply' }>[] {
  const file = join(runDir, LEDGER_FILE);
  if (!existsSync(file)) return [];
  const open = new Map<string, Extract<LedgerEntry, { event: 'apply' }>>();
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const entry = JSON.parse(line) as LedgerEntry;
    if (entry.event === 'apply') open.set(entry.id, entry);
    else open.delete(entry.id);
  }
  return [...open.values()];
}

/** Undoes what a killed run left: thaws frozen processes. Returns what it did, one line each. */
export function cleanupLedger(runDir: string, ledger = new FaultLedger(runDir)): string[] {
  const actions: string[] = [];
  for (const f of openFaults(runDir)) {
    if (f.kind === 'pause-replica' && f.pid !== undefined) {
      try {
        process.kill(f.pid, 'SIGCONT');
        actions.push(`resumed frozen process ${f.pid} (fault ${f.id})`);
      } catch {
        actions.push(`process ${f.pid} of fault ${f.id} is gone: nothing to resume`);
      }
    } else {
      actions.push(`fault ${f.id} (${f.kind}) ended with the runner's process: nothing to undo`);
    }
    ledger.removed(f.id);
  }
  return actions;
}
