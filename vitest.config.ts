import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Browser-driving integration tests share two cores; keep files from starving each other.
    maxWorkers: 2,
  },
});
