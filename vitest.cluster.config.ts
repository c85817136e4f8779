import { defineConfig } from 'vitest/config';

// The real-apiserver tier: `npm run test:cluster`. Needs ../shared/tools/kube-apiserver (skipped without it).
export default defineConfig({
  test: {
    include: ['test/cluster/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 300_000,
    fileParallelism: false,
  },
});
