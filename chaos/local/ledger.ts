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
    const entry: LedgerEntry = {
      id,
      kind,
      target: target ?? (pid !== undefined ? `pid ${pid}` : 'fault proxy'),
      appliedAt: new Date().toISOString(),
      ...(pid !== undefined ? { pid } : {}),
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
    mkdirSync(this.runDir, { recursive: true });
    const fd = openSync(this.path, 'a');
    try {
      writeSync(fd, `${JSON.stringify(line)}\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }
}

/** Every fault in a run folder's ledger, in the order applied, with removal times merged. */
export function readLedger(runDir: string): LedgerEntry[] {
  const file = join(runDir, LEDGER_FILE);
  if (!existsSync(file)) return [];
  const entries = new Map<string, LedgerEntry>();
  for (const text of readFileSync(file, 'utf8').split('\n')) {
    let line: Line;
    try {
      line = JSON.parse(text) as Line;
    } catch {
      continue; // blank, or torn by a crash mid-write
    }
    if (line.event === 'applied') {
      const { event: _, ...entry } = line;
      entries.set(line.id, entry);
    } else if (line.event === 'removed') {
      const entry = entries.get(line.id);
      if (entry && entry.removedAt === undefined) entry.removedAt = line.removedAt;
    }
  }
  return [...entries.values()];
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
 * Undoes what a dead run left on this machine: thaws frozen processes (SIGCONT; harmless should
 * the pid have been reused, as a running process ignores it) and settles faults that ended with
 * the runner. Cluster faults are left to `settleClusterFaults`. Marks each fault it settled as
 * removed and returns what it did, one line each.
 */
export function cleanupLedger(runDir: string, ledger = new FaultLedger(runDir)): string[] {
  const actions: string[] = [];
  for (const f of readOpenFaults(runDir)) {
    if (isClusterFault(f)) continue;
    if (PAUSE_KINDS.has(f.kind) && f.pid !== undefined) {
      try {
        process.kill(f.pid, 'SIGCONT');
        actions.push(`resumed frozen process ${f.pid} (fault ${f.id}, ${f.target})`);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'EPERM') {
          actions.push(
            `cannot resume process ${f.pid} of fault ${f.id}: not permitted (run as its owner)`,
          );
          continue; // still open: someone must deal with it
        }
        actions.push(`process ${f.pid} of fault ${f.id} is gone: nothing to resume`);
      }
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
