// The one-way layers of ARCHITECTURE.md, checked by `npm run lint`. A file imports only from its
// own folder or a folder of a lower layer (type imports included), never sideways, never in a
// circle. Tests and the bench stand outside the layers.
const LAYERS = [
  ['core'],
  ['thresholds'],
  ['runner/timeline', 'runner/kube', 'runner/config', 'scenarios', 'demo'],
  ['runner/engines', 'runner/metrics', 'chaos', 'reports'],
  ['runner/run'],
  ['runner/cli'],
  ['bin'],
];

const escaped = (folder) => folder.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
const anyOf = (folders) => `^(${folders.map(escaped).join('|')})/`;
const OUTSIDE_LAYERS = '(^|/)(test|bench)/|\\.test\\.ts$';

const layerRules = LAYERS.flatMap((layer, level) =>
  layer.map((folder) => {
    const allowed = [folder, ...LAYERS.slice(0, level).flat()];
    return {
      name: `layer:${folder}`,
      comment: `${folder} (layer ${level}) may import only ${allowed.join(', ')}`,
      severity: 'error',
      from: { path: `^${escaped(folder)}/`, pathNot: OUTSIDE_LAYERS },
      to: { path: anyOf(LAYERS.flat()), pathNot: anyOf(allowed) },
    };
  }),
);

module.exports = {
  forbidden: [
    ...layerRules,
    {
      name: 'no-circular',
      comment: 'a cycle, type imports included, ties its files into one layer',
      severity: 'error',
      from: { pathNot: OUTSIDE_LAYERS },
      to: { circular: true },
    },
    {
      name: 'not-in-a-layer',
      comment: 'every source folder belongs to a layer: add a new folder to LAYERS',
      severity: 'error',
      from: {
        path: '\\.(ts|js)$',
        pathNot: `${OUTSIDE_LAYERS}|${anyOf(LAYERS.flat())}|^[^/]+$|^scripts/`,
      },
      to: {},
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(node_modules|results|dist|\\.tiergate|fixtures)/' },
    tsPreCompilationDeps: true,
  },
};
