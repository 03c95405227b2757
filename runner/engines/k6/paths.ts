// Where tiergate's own files are, from this module: the scenario sources the engine bundles.
import { fileURLToPath } from 'node:url';

export const PACKAGE_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const SCENARIOS_DIR = fileURLToPath(new URL('../../../scenarios/', import.meta.url));
