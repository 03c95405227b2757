// The k6 modules the stand-in provides, and the names each exports. The bundler refuses any
// other module and any other name at build time, so a script using what the stand-in lacks
// fails at once (exit 107) instead of misbehaving during the test.
export const MODULE_EXPORTS: Record<string, readonly string[]> = {
  k6: ['check', 'group', 'sleep', 'fail'],
  'k6/http': [
    'request',
    'get',
    'post',
    'put',
    'patch',
    'del',
    'head',
    'options',
    'expectedStatuses',
    'setResponseCallback',
  ],
  'k6/metrics': ['Counter', 'Gauge', 'Rate', 'Trend'],
  'k6/execution': ['instance', 'scenario', 'test', 'vu'],
  // Types only: nothing of it exists at run time.
  'k6/options': [],
};

/** The global each VU sets before the script runs: module name → its implementation. */
export const MODULES_GLOBAL = '__k6standinModules';
