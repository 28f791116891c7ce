import { defineConfig } from 'vitest/config';

/**
 * Tests that launch Chromium (directly, or through build, dev, doctor and bench) or LibreOffice. They are
 * the slow part of the suite; `npm run test:unit` leaves them out, `npm test` runs both projects.
 */
const BROWSER = [
  'tests/browser/**/*.test.ts',
  'tests/bench/bench-command.test.ts',
  'tests/build/build-browser.test.ts',
  'tests/commands/build*.test.ts',
  'tests/commands/doctor.test.ts',
  'tests/commands/odd-files.test.ts',
  'tests/dev/{dev,edit-loop,host,process,self-eval,watch}.test.ts',
  'tests/diff/html-chromium.test.ts',
  'tests/import/{libreoffice,containers-xls,layouts-libreoffice}.test.ts',
  'tests/render/{index-page,predict,print-lines,rare-characters,split,xlsx-libreoffice}.test.ts',
  'tests/setup/{compile,postinstall}.test.ts',
];

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Browser-driving integration tests share two cores; keep files from starving each other.
    maxWorkers: 2,
    // Each project names its own files: an `include` here would be merged into both.
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['tests/**/*.test.ts'],
          exclude: BROWSER,
          // A unit test that reaches for Chromium fails with this path in its message instead of
          // quietly making the fast run slow: move it to BROWSER.
          env: { JXMB_CHROME: '/unit-tests-launch-no-browser/list-this-test-in-BROWSER-in-vitest.config.ts' },
        },
      },
      { extends: true, test: { name: 'browser', include: BROWSER } },
    ],
  },
});
