// A file or folder tiergate could not write, as one line: the path, the errno and what to do.
// Before any load it is exit 2 (nothing was run: pick another --results-dir); once a run has
// happened it is exit 3 (the run could not complete its results).
import { TiergateError } from './errors.ts';

export class FileWriteError extends TiergateError {
  readonly path: string;
  readonly code: string | undefined;

  constructor(path: string, cause: unknown, exitCode: 2 | 3 = 3) {
    const { code, text } = errnoOf(cause);
    super(`cannot write ${path}: ${code ?? 'error'} (${text})`, exitCode, fixFor(code));
    this.path = path;
    this.code = code;
  }
}

/**
 * A path that holds something other than a regular file (a symlink, FIFO, device): an atomic
 * write would replace that node, not write through it. Found after a run, so exit 3.
 */
export class NotARegularFileError extends TiergateError {
  constructor(
    readonly path: string,
    readonly kind: string,
  ) {
    super(
      `cannot write ${path}: it is ${kind}, and tiergate replaces files whole, never links, devices or FIFOs`,
      3,
      'name a regular file or a path that does not exist yet',
    );
  }
}

/** `EACCES` and `permission denied` from Node's `EACCES: permission denied, open '…'`. */
function errnoOf(cause: unknown): { code: string | undefined; text: string } {
  const err = cause as NodeJS.ErrnoException | undefined;
  const message = err?.message ?? String(cause);
  const m = /^[A-Z0-9_]+: ([^,]+)/.exec(message);
  return { code: err?.code, text: m?.[1] ?? message };
}

function fixFor(code: string | undefined): string {
  switch (code) {
    case 'ENOSPC':
    case 'EDQUOT':
      return 'free some disk space, or pass --results-dir on another disk';
    case 'EROFS':
      return 'the filesystem is read-only: pass --results-dir on a writable one';
    case 'EACCES':
    case 'EPERM':
      return 'make it writable for this user, or pass --results-dir <a folder you can write>';
    case 'ENOTDIR':
    case 'EEXIST':
      return 'a file is in the way of a folder: pass another --results-dir';
    default:
      return 'pass --results-dir <a folder you can write>';
  }
}
