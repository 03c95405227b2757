// The starter config `tiergate init` writes: one roadmap with two tiers of a typical HTTP
// service, as YAML or as a tiergate.config.ts, both from the same object.
import { stringify } from 'yaml';

export type ConfigFormat = 'ts' | 'yaml';

export const STARTER_ROADMAP = 'my-service';
export const STARTER_TIER = 'launch';

const STARTER = {
  roadmaps: [
    {
      id: STARTER_ROADMAP,
      name: 'My service',
      description: 'Replace with your service: its journey, its tiers and their objectives',
      seeds: [],
      tiers: [
        {
          id: STARTER_TIER,
          name: 'Launch',
          load: { rps: 50 },
          stages: [
            { duration: '30s', target: 1 },
            { duration: '2m', target: 1, steady: true },
          ],
          journey: {
            name: 'browse-and-buy',
            requests: [
              { name: 'home', method: 'GET', path: '/', weight: 3 },
              {
                name: 'buy',
                method: 'POST',
                path: '/checkout',
                body: { sku: 1 },
                expectStatus: [201],
              },
            ],
          },
          objectives: ['p95 < 300ms', { expr: 'error_rate < 1%', window: 'steady' }],
          rollbackTriggers: [{ when: 'error_rate <= 5%', window: '10s', for: '10s', delay: '10s' }],
        },
        {
          id: 'growth',
          name: 'Growth',
          load: { rps: 500 },
          stages: [
            { duration: '1m', target: 1 },
            { duration: '5m', target: 1, steady: true },
          ],
          journey: { name: 'home', requests: [{ name: 'home', method: 'GET', path: '/' }] },
          objectives: ['p95 < 300ms', 'p99 < 1s', 'availability >= 99.9%'],
        },
      ],
    },
  ],
};

const HEADER = [
  'tiergate starter config (written by `tiergate init`): edit the roadmap to your service.',
  `  npx tiergate tiers ${STARTER_ROADMAP}                         its tiers and objectives`,
  `  npx tiergate run --roadmap ${STARTER_ROADMAP} --tier ${STARTER_TIER} --target <url>   a phase gate`,
];

export function configFileName(format: ConfigFormat): string {
  return format === 'yaml' ? 'tiergate.yaml' : 'tiergate.config.ts';
}

export function starterConfig(format: ConfigFormat): string {
  if (format === 'yaml') return `${HEADER.map((l) => `# ${l}`).join('\n')}\n${stringify(STARTER)}`;
  // JSON with bare keys is a TypeScript object literal.
  const literal = JSON.stringify(STARTER, null, 2).replace(/"([A-Za-z_][A-Za-z0-9_]*)":/g, '$1:');
  return `${HEADER.map((l) => `// ${l}`).join('\n')}
import { defineConfig } from 'tiergate';

export default defineConfig(${literal});
`;
}
