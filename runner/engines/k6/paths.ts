// Where tiergate's own files are, from this module: the k6 binary the setup script builds and
// the scenario sources the engine bundles.
import { fileURLToPath } from 'node:url';

export const PACKAGE_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const SCENARIOS_DIR = fileURLToPath(new URL('../../../scenarios/', import.meta.url));
/** Where `scripts/install-k6.sh` puts the k6 it builds (git-ignored). */
export const LOCAL_K6 = fileURLToPath(new URL('../../../.tiergate/bin/k6', import.meta.url));
