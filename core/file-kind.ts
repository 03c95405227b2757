// What sits at a path, when it is something a write must not replace: renaming a new file over
// a symlink replaces the link (`/dev/stdout` included), over a FIFO or device the node itself.
import { lstatSync, readlinkSync } from 'node:fs';

/**
 * `a symbolic link (to …)`, `a FIFO`, `a character device`, … for what is at `path` when it is
 * not a regular file; undefined for a regular file or nothing at all.
 */
export function irreplaceableKind(path: string): string | undefined {
  let stat: ReturnType<typeof lstatSync>;
  try {
    stat = lstatSync(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  if (stat.isFile()) return undefined;
  if (stat.isSymbolicLink()) return `a symbolic link (to ${readlinkSync(path)})`;
  if (stat.isFIFO()) return 'a FIFO';
  if (stat.isCharacterDevice()) return 'a character device';
  if (stat.isBlockDevice()) return 'a block device';
  if (stat.isSocket()) return 'a socket';
  return 'a directory';
}
