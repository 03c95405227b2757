// Where tiergate's own files are: the scenario sources the engine bundles (shipped as
// TypeScript, from the clone or the installed package alike).
import { join } from 'node:path';
import { packageRoot } from '../../../core/package-root.ts';

export const PACKAGE_ROOT = packageRoot(import.meta.url);
export const SCENARIOS_DIR = join(PACKAGE_ROOT, 'scenarios');
