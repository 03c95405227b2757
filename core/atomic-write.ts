// Writes a file so that readers see either the old content or the new, never a torn one:
// write `<name>.tmp-<pid>` beside it, then rename over it (atomic on one filesystem). Only a
// regular file (or nothing) is replaced: a symlink, FIFO, device or socket is refused. A failure
// is a FileWriteError naming the file (not its temporary twin), the errno and the fix.
import { rename, rm, writeFile } from 'node:fs/promises';
import { FileWriteError, NotARegularFileError } from './file-errors.ts';
import { irreplaceableKind } from './file-kind.ts';

export async function writeFileAtomic(path: string, data: string): Promise<void> {
  const kind = irreplaceableKind(path);
  if (kind !== undefined) throw new NotARegularFileError(path, kind);
  const tmp = `${path}.tmp-${process.pid}`;
  try {
    await writeFile(tmp, data, 'utf8');
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw new FileWriteError(path, err);
  }
}
