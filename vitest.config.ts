import { defineConfig } from 'vitest/config';

// Load tests measure time on a 2-core machine: files run one at a time so that one
// test's load generator never steals the CPU another test is measuring.
export default defineConfig({
  test: {
    include: ['**/*.test.ts'],
    exclude: ['node_modules/**', 'results/**', 'dist/**'],
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
