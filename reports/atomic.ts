// Writes a file so that readers see either the old content or the new, never a torn one:
// write `<name>.tmp-<pid>` beside it, then rename over it (atomic on one filesystem).
import { rename, rm, writeFile } from 'node:fs/promises';

export async function writeFileAtomic(path: string, data: string): Promise<void> {
  const tmp = `${path}.tmp-${process.pid}`;
  try {
    await writeFile(tmp, data, 'utf8');
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}
