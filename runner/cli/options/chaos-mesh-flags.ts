// The `gameday --chaos chaos-mesh` flags that say what the faults act on, turned into a
// ChaosMeshTarget: each mistake is a UsageError naming the flag, the value and the fix.
import { checkSelection } from '../../../chaos/chaos-mesh/builders.ts';
import {
  type ChaosMeshTarget,
  checkBlastRadius,
  parseSelector,
} from '../../../chaos/chaos-mesh/target.ts';
import {
  SELECTOR_MODES,
  type Selection,
  type SelectorMode,
} from '../../../chaos/chaos-mesh/types.ts';
import { UsageError } from '../../../core/errors.ts';
import { checkNamespaceFlag } from '../../kube/access.ts';

export interface ChaosMeshFlags {
  namespace?: string;
  selector?: string;
  mode?: string;
  value?: string;
  allowWideBlast?: boolean;
  port?: string;
  volumePath?: string;
}

export function chaosMeshTarget(flags: ChaosMeshFlags): ChaosMeshTarget {
  const namespace = checkNamespaceFlag(
    flags.namespace,
    '--chaos chaos-mesh (where the pods and experiments are)',
  );
  const labels = parseSelector(flags.selector);
  const mode = (flags.mode ?? 'one') as SelectorMode;
  if (!SELECTOR_MODES.includes(mode)) {
    throw new UsageError(
      `--mode ${flags.mode}: not a Chaos Mesh mode`,
      `use one of: ${SELECTOR_MODES.join(', ')}`,
    );
  }
  const selection: Selection = {
    mode,
    selector: {},
    ...(flags.value !== undefined ? { value: flags.value } : {}),
  };
  try {
    checkSelection(selection);
  } catch (err) {
    throw new UsageError(
      `--mode ${mode} --value ${flags.value ?? '(none)'}: ${(err as Error).message}`,
    );
  }
  const allowWideBlast = flags.allowWideBlast === true;
  checkBlastRadius(selection, allowWideBlast);
  const port = flags.port === undefined ? 80 : Number(flags.port);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new UsageError(
      `--port ${flags.port}: not a port number`,
      'the port the target pods serve HTTP on, e.g. --port 8080',
    );
  }
  return {
    namespace,
    labels,
    mode,
    port,
    allowWideBlast,
    ...(flags.value !== undefined ? { value: flags.value } : {}),
    ...(flags.volumePath !== undefined ? { volumePath: flags.volumePath } : {}),
  };
}
