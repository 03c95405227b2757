// `tiergate init`'s flags, as commander hands them over, and the settings they make.
import { UsageError } from '../../../core/errors.ts';
import type { ConfigFormat } from '../init-config.ts';

export interface InitFlags {
  format?: string;
  force?: boolean;
  dir?: string;
}

export interface InitSettings {
  format: ConfigFormat;
  /** Overwrite files that exist. */
  force: boolean;
  /** The project folder the files go into. */
  dir: string;
}

export function initSettings(flags: InitFlags): InitSettings {
  const format = flags.format ?? 'ts';
  if (format !== 'ts' && format !== 'yaml') {
    throw new UsageError(`--format ${JSON.stringify(format)} is not valid: use ts or yaml`);
  }
  return { format, force: flags.force === true, dir: flags.dir ?? '.' };
}
