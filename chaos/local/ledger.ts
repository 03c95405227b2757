// The fault ledger: `<runDir>/faults.ledger.jsonl`. A line is appended and fsync'd *before* a
// fault is applied, and another when it is removed, so a runner that dies (SIGKILL, power
// loss) leaves a record of what may still be in place for `tiergate chaos cleanup`.
//
// Only process faults need sweeping: proxy faults live in the proxy, which is in the runner's
// process and dies with it; a frozen (SIGSTOP) replica does not thaw by itself.
import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { FileWriteError } from '../../core/file-errors.ts';
import { ownProcessGroup, processIdentity } from '../../core/process-identity.ts';

export const LEDGER_FILE = 'faults.ledger.jsonl';

/** One fault as the ledger knows it. */
export interface LedgerEntry {
  id: string;
  /** The fault's kind, e.g. `latency`, `pause-replica`. */
  kind: string;
  /** What it was applied to, e.g. `fault proxy`, `replica 0`, `pid 1234`. */
  target: string;
  /** ISO time the entry was written, just before the fault was applied. */
  appliedAt: string;
  /** The process a process fault acted on. */
  pid?: number;
  /** That process's start time (clock ticks since boot) and argv when the fault was applied:
   * cleanup signals the pid only while it is still that same process. */
  startTicks?: number;
  argv?: string[];
  /** The cluster (API server URL) a cluster object was created on, where the writer knew it. */
  cluster?: string;
  /** ISO time of removal; absent while the fault may still be in place. */
  removedAt?: string;
}

type Line =
  | ({ event: 'applied' } & Omit<LedgerEntry, 'removedAt'>)
  | { event: 'removed'; id: string; removedAt: string };

/** Kinds of faults that are objects on a cluster (`chaos-mesh:PodChaos`, …). */
const CLUSTER_KIND_PREFIX = 'chaos-mesh:';

/** Kinds whose leftover is a frozen process that cleanup thaws. */
const PAUSE_KINDS = new Set(['pause', 'pause-replica']);
/** Kinds whose effect ended with the runner's process (the proxy's faults). */
const PROXY_KINDS = new Set([
  'latency',
  'bandwidth',
  'reset',
  'blackhole',
  'http-error',
  'http-abort',
]);

export class FaultLedger {
  readonly path: string;

  constructor(private readonly runDir: string) {
    this.path = join(runDir, LEDGER_FILE);
  }

  /**
   * Records a fault about to be applied. Call it before applying, not after. A cluster object
   * names its cluster (`cluster`, the API server URL) so that cleanup can tell it apart from
   * another cluster's.
   */
  applying(id: string, kind: string, pid?: number, target?: string, cluster?: string): LedgerEntry {
    const who = pid !== undefined ? processIdentity(pid) : undefined;
    const entry: LedgerEntry = {
      id,
      kind,
      target: target ?? (pid !== undefined ? `pid ${pid}` : 'fault proxy'),
      appliedAt: new Date().toISOString(),
      ...(pid !== undefined ? { pid } : {}),
      ...(who !== undefined ? { startTicks: who.startTicks, argv: who.argv } : {}),
      ...(cluster !== undefined ? { cluster } : {}),
    };
    this.append({ event: 'applied', ...entry });
    return entry;
  }

  /** Records that a fault is gone. */
  removed(id: string): void {
    this.append({ event: 'removed', id, removedAt: new Date().toISOString() });
  }

  private append(line: Line): void {
    // The file appears with the first fault: a run that injected nothing has no ledger.
    try {
      mkdirSync(this.runDir, { recursive: true });
      const fd = openSync(this.path, 'a');
      try {
        writeSync(fd, `${JSON.stringify(line)}\n`);
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
    } catch (err) {
      // Unrecorded, a fault must not be applied: a crash would leave it with no trace.
      throw new FileWriteError(this.path, err);
    }
  }
}

/** A ledger line as it must be: the ledger is input, checked like a config file. */
const text = z.string().min(1).max(1000);
const isoTime = z.iso.datetime();
const APPLIED = z.strictObject({
  event: z.literal('applied'),
  id: text,
  kind: text,
  target: text,
  appliedAt: isoTime,
  pid: z
    .number()
    .int()
    .positive()
    .max(2 ** 31)
    .optional(),
  startTicks: z.number().int().nonnegative().optional(),
  argv: z.array(z.string().max(10_000)).max(1000).optional(),
  cluster: text.optional(),
});
const REMOVED = z.strictObject({ event: z.literal('removed'), id: text, removedAt: isoTime });
const LINE = z.discriminatedUnion('event', [APPLIED, REMOVED]);

export interface LedgerReading {
  entries: LedgerEntry[];
  /** Lines that are not a valid ledger line, one message each (`<file>:<line>: …`). */
  issues: string[];
}

/**
 * Every fault in a run folder's ledger, in the order applied, with removal times merged, and
 * the lines that are not valid (never acted on). A torn last line (a crash mid-write) is skipped.
 */
export function readLedgerChecked(runDir: string): LedgerReading {
  const file = join(runDir, LEDGER_FILE);
  if (!existsSync(file)) return { entries: [], issues: [] };
  const entries = new Map<string, LedgerEntry>();
  const issues: string[] = [];
  const lines = readFileSync(file, 'utf8').split('\n');
  while (lines.length > 0 && lines[lines.length - 1]!.trim() === '') lines.pop();
  lines.forEach((raw, i) => {
    if (raw.trim() === '') return;
    const where = `${file}:${i + 1}`;
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      if (i < lines.length - 1) issues.push(`${where}: not JSON`);
      return;
    }
    const parsed = LINE.safeParse(json);
    if (!parsed.success) {
      const first = parsed.error.issues[0];
      const field = first?.path.join('.') || 'line';
      const value = first && first.path.length > 0 ? valueAt(json, first.path) : undefined;
      issues.push(
        `${where}: ${field}${value === undefined ? '' : ` ${JSON.stringify(value)}`}: ${first?.message ?? 'invalid'}`,
      );
      return;
    }
    const line = parsed.data;
    if (line.event === 'applied') {
      const { event: _, ...entry } = line;
      entries.set(line.id, entry as LedgerEntry);
    } else {
      const entry = entries.get(line.id);
      if (entry && entry.removedAt === undefined) entry.removedAt = line.removedAt;
    }
  });
  return { entries: [...entries.values()], issues };
}

function valueAt(json: unknown, path: PropertyKey[]): unknown {
  let v: unknown = json;
  for (const key of path) v = (v as Record<PropertyKey, unknown> | undefined)?.[key];
  return v;
}

/** Every valid fault in a run folder's ledger (see readLedgerChecked for the invalid lines). */
export function readLedger(runDir: string): LedgerEntry[] {
  return readLedgerChecked(runDir).entries;
}

/** Faults applied and never removed. */
export function readOpenFaults(runDir: string): LedgerEntry[] {
  return readLedger(runDir).filter((e) => e.removedAt === undefined);
}

/** The object a cluster fault names: `chaos-mesh:PodChaos` on `PodChaos shop/name`. */
export interface ClusterObjectRef {
  kind: string;
  namespace: string;
  name: string;
}

export function isClusterFault(f: LedgerEntry): boolean {
  return f.kind.startsWith(CLUSTER_KIND_PREFIX);
}

export function clusterObjectOf(f: LedgerEntry): ClusterObjectRef | undefined {
  if (!isClusterFault(f)) return undefined;
  const kind = f.kind.slice(CLUSTER_KIND_PREFIX.length);
  const m = /^(\S+) ([^/\s]+)\/(\S+)$/.exec(f.target);
  if (m === null || m[1] !== kind) return undefined;
  return { kind, namespace: m[2]!, name: m[3]! };
}

/**
 * Undoes what a dead run left on this machine: thaws frozen processes (SIGCONT) and settles
 * faults that ended with the runner. A pid is signalled only while it is still the process the
 * fault froze (same start time and command line); a pid that is not one process (0, negative:
 * a process group) or is this process's own group is never signalled. Cluster faults are left to
 * `settleClusterFaults`. Marks each fault it settled as removed and returns what it did, one
 * line each; what it could not settle stays open.
 */
export function cleanupLedger(runDir: string, ledger = new FaultLedger(runDir)): string[] {
  const actions: string[] = [];
  for (const f of readOpenFaults(runDir)) {
    if (isClusterFault(f)) continue;
    if (PAUSE_KINDS.has(f.kind) && f.pid !== undefined) {
      const thawed = thaw(f, f.pid);
      actions.push(thawed.line);
      if (!thawed.settled) continue; // still open: someone must deal with it
    } else if (PROXY_KINDS.has(f.kind)) {
      actions.push(
        `fault ${f.id} (${f.kind}) lived in the fault proxy, which ended with its run: nothing to undo`,
      );
    } else {
      actions.push(`fault ${f.id} (${f.kind} on ${f.target}) ended with its run: nothing to undo`);
    }
    ledger.removed(f.id);
  }
  return actions;
}

function thaw(f: LedgerEntry, pid: number): { line: string; settled: boolean } {
  if (pid === process.pid || pid === ownProcessGroup()) {
    return {
      line: `fault ${f.id}: pid ${pid} is this cleanup's own process group: not signalled`,
      settled: false,
    };
  }
  const now = processIdentity(pid);
  if (now === undefined) {
    return { line: `process ${pid} of fault ${f.id} is gone: nothing to resume`, settled: true };
  }
  if (f.startTicks === undefined || f.argv === undefined) {
    return {
      line: `cannot tell whether process ${pid} is still the one fault ${f.id} froze (the ledger has no start time): not signalled; if it is, resume it with kill -CONT ${pid}`,
      settled: false,
    };
  }
  if (now.startTicks !== f.startTicks || now.argv.join('\0') !== f.argv.join('\0')) {
    // The frozen process is gone and its pid was reused: the new owner is not ours to signal.
    return {
      line: `process ${pid} of fault ${f.id} is gone (pid ${pid} is now another process, not signalled): nothing to resume`,
      settled: true,
    };
  }
  try {
    process.kill(pid, 'SIGCONT');
    return { line: `resumed frozen process ${pid} (fault ${f.id}, ${f.target})`, settled: true };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EPERM') {
      return {
        line: `cannot resume process ${pid} of fault ${f.id}: not permitted (run as its owner)`,
        settled: false,
      };
    }
    return { line: `process ${pid} of fault ${f.id} is gone: nothing to resume`, settled: true };
  }
}

/** Whether a cluster fault's object is gone from the swept cluster, or why that is not known. */
export type ClusterVerdict = { gone: true } | { gone: false; why: string };

/** The cluster that was swept, as `settleClusterFaults` asks it. */
export interface SweptCluster {
  /** Its API server URL. */
  server: string;
  /** GET the object: gone only on a 404 from this cluster, within the sweep's scope. */
  check(ref: ClusterObjectRef): Promise<ClusterVerdict>;
}

export interface ClusterSettlement {
  fault: LedgerEntry;
  closed: boolean;
  line: string;
}

/**
 * The run's open cluster faults against the swept cluster: an entry is closed only when the
 * object it names is confirmed gone there. Without a swept cluster (`notSwept` says why) every
 * entry stays open.
 */
export async function settleClusterFaults(
  runDir: string,
  cluster: SweptCluster | { notSwept: string },
  ledger = new FaultLedger(runDir),
): Promise<ClusterSettlement[]> {
  const out: ClusterSettlement[] = [];
  for (const f of readOpenFaults(runDir)) {
    if (!isClusterFault(f)) continue;
    const open = (why: string) =>
      out.push({ fault: f, closed: false, line: `fault ${f.id} (${f.target}) left open: ${why}` });
    if ('notSwept' in cluster) {
      open(`no cluster was swept (${cluster.notSwept})`);
      continue;
    }
    if (f.cluster !== undefined && f.cluster !== cluster.server) {
      open(
        `it is on ${f.cluster}, not on the swept ${cluster.server} (pass that cluster's --kubeconfig/--context)`,
      );
      continue;
    }
    const ref = clusterObjectOf(f);
    if (ref === undefined) {
      open('the ledger does not say which object it is');
      continue;
    }
    const verdict = await cluster.check(ref);
    if (!verdict.gone) {
      open(verdict.why);
      continue;
    }
    ledger.removed(f.id);
    out.push({
      fault: f,
      closed: true,
      line: `fault ${f.id} (${f.target}) is gone from ${cluster.server}: closed`,
    });
  }
  return out;
}
