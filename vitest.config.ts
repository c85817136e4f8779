import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // The real-apiserver tier runs on its own: npm run test:cluster (vitest.cluster.config.ts).
    exclude: ['test/cluster/**', 'node_modules/**'],
    testTimeout: 30_000,
  },
});
