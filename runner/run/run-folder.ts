// A run's folder, claimed before any load: the results folder must be writable, an existing
// run folder is refused unless --force, and the run holds `run.lock` (its pid and start time)
// until its results are written, so a second run with the same id, or `chaos cleanup`, can tell
// that the folder is in use. A lock whose process is gone (a SIGKILLed runner) is stale.
import { mkdir, open, readdir, readFile, rm, rmdir, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { readOpenFaults } from '../../chaos/local/ledger.ts';
import { UsageError } from '../../core/errors.ts';
import { FileWriteError } from '../../core/file-errors.ts';
import { isSameProcess, isUsablePid, processIdentity } from '../../core/process-identity.ts';

export const LOCK_FILE = 'run.lock';

interface LockRecord {
  pid: number;
  startTicks: number;
  takenAt: string;
}

export interface RunFolder {
  dir: string;
  /** Removes the lock (and the folder, if nothing was written): call once the run is over. */
  release(): Promise<void>;
}

/** Who holds the run folder's lock, when that process is still alive. */
export async function liveLockHolder(dir: string): Promise<number | undefined> {
  let record: Partial<LockRecord>;
  try {
    record = JSON.parse(await readFile(join(dir, LOCK_FILE), 'utf8')) as Partial<LockRecord>;
  } catch {
    return undefined; // no lock, or one torn by a crash while it was written
  }
  const { pid, startTicks } = record;
  if (!isUsablePid(pid) || typeof startTicks !== 'number') return undefined;
  return isSameProcess({ pid, startTicks }) ? pid : undefined;
}

export async function claimRunFolder(
  resultsDir: string,
  runId: string,
  opts: { force?: boolean } = {},
): Promise<RunFolder> {
  const root = resolve(resultsDir);
  const dir = join(root, runId);
  await makeFolder(root);
  const fresh = await mkdir(dir).then(
    () => true,
    (err: NodeJS.ErrnoException) => {
      if (err.code === 'EEXIST') return false;
      throw new FileWriteError(dir, err, 2);
    },
  );
  if (!fresh) await reuse(dir, runId, opts.force === true);
  await takeLock(dir, runId);
  return {
    dir,
    release: async () => {
      await rm(join(dir, LOCK_FILE), { force: true });
      await rmdir(dir).catch(() => undefined); // kept when it holds anything
    },
  };
}

/**
 * `mkdir -p` whose error names the real cause: a recursive mkdir reports ENOENT where a parent
 * cannot be created (a read-only filesystem), so the first missing folder is made on its own.
 */
async function makeFolder(path: string): Promise<void> {
  try {
    await mkdir(path, { recursive: true });
  } catch (err) {
    let missing = path;
    while (dirname(missing) !== missing && !(await isFolder(dirname(missing)))) {
      missing = dirname(missing);
    }
    const cause = await mkdir(missing).then(
      () => err,
      (e: unknown) => e,
    );
    throw new FileWriteError(missing, cause, 2);
  }
}

async function isFolder(path: string): Promise<boolean> {
  return stat(path).then(
    (s) => s.isDirectory(),
    () => false,
  );
}

/** An existing run folder: refused while its run is alive, or unless --force replaces it. */
async function reuse(dir: string, runId: string, force: boolean): Promise<void> {
  const holder = await liveLockHolder(dir);
  if (holder !== undefined) throw inUse(dir, runId, holder);
  const entries = await readdir(dir).catch((err: unknown) => {
    throw new FileWriteError(dir, err, 2);
  });
  if (entries.length === 0) return;
  if (!force) {
    throw new UsageError(
      `run folder ${dir} already exists: --run-id ${runId} was used before`,
      'use another --run-id (or none, for a fresh one), or pass --force to replace that run',
    );
  }
  const open = readOpenFaults(dir);
  if (open.length > 0) {
    throw new UsageError(
      `run folder ${dir} has ${open.length} fault(s) its ledger says may still be in place: --force would lose them`,
      `undo them first: tiergate chaos cleanup --run-id ${runId}`,
    );
  }
  for (const name of entries) await rm(join(dir, name), { recursive: true, force: true });
}

async function takeLock(dir: string, runId: string): Promise<void> {
  const me = processIdentity(process.pid);
  const record: LockRecord = {
    pid: process.pid,
    startTicks: me?.startTicks ?? -1,
    takenAt: new Date().toISOString(),
  };
  const path = join(dir, LOCK_FILE);
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    // `wx`: created only if absent, atomically, so of two runs starting at once one wins.
    handle = await open(path, 'wx');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw new FileWriteError(path, err, 2);
    const holder = await liveLockHolder(dir);
    if (holder !== undefined) throw inUse(dir, runId, holder);
    throw new UsageError(
      `run folder ${dir} is being claimed by another run right now`,
      'use another --run-id',
    );
  }
  try {
    await handle.writeFile(`${JSON.stringify(record)}\n`);
  } catch (err) {
    await handle.close();
    await rm(path, { force: true });
    throw new FileWriteError(path, err, 2);
  }
  await handle.close();
}

function inUse(dir: string, runId: string, pid: number): UsageError {
  return new UsageError(
    `run ${runId} is in progress (process ${pid} holds ${join(dir, LOCK_FILE)})`,
    'wait for it to finish, or use another --run-id',
  );
}
