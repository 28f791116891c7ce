// @ts-check
/**
 * ESLint (flat config): typescript-eslint's type-aware recommended rules over scripts/ and tests/, and the
 * project's line limit: no line over 120 characters, strings and templates included (break them with `+`).
 * Prettier owns the layout; it cannot break a long string, so this is where those are caught.
 */
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    // Output, fixtures and generated files; data/ and templates/ are not JavaScript.
    // types.generated.ts is written by gen-types from schema/ (gen-types --check checks it), as in .prettierignore.
    ignores: [
      'node_modules/',
      'out/',
      'scripts/dist/',
      'scripts/dist.*/',
      'tests/fixtures/',
      'data/',
      'fonts/',
      'scripts/model/types.generated.ts',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: {
          // Plain-JS entry points (they run before anything is compiled) are outside tsconfig.json.
          allowDefaultProject: ['eslint.config.js', 'scripts/jxmb.js', 'scripts/setup/*.js'],
        },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      'max-len': [
        'error',
        {
          code: 120,
          tabWidth: 2,
          ignoreUrls: false,
          ignoreStrings: false,
          ignoreTemplateLiterals: false,
          ignoreRegExpLiterals: false,
          ignoreComments: false,
        },
      ],
      // Same convention as tsc's noUnusedParameters: a leading underscore marks a deliberately unused name.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' },
      ],
      // Control characters in these regexes are the point: they find and escape them in user input.
      'no-control-regex': 'off',
      // An async function without an await still reports its errors as rejections, which its callers rely on.
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    files: ['**/*.js'],
    languageOptions: {
      // Node globals for the plain-JS files (the TypeScript ones get them from @types/node).
      globals: { process: 'readonly', console: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly' },
    },
    rules: {
      // Plain JS has no annotations, so every JSON.parse and untyped value is `any`: these only add noise.
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
);
