// Lint: TypeScript-aware recommended rules plus the few house rules that keep layers apart.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      'data/**',
      'coverage/**',
      '**/dist/**',
      'packages/web/src/api/schema.d.ts',
      'packages/web/e2e/screenshots/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
    },
  },
  {
    // The web application runs in the browser.
    files: ['packages/web/src/**/*.{ts,tsx}', 'packages/web/e2e/**/*.mjs'],
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
  },
  {
    // The domain core is pure: no I/O, no server, no database.
    files: ['packages/domain/src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                '@sscard/server',
                '@sscard/cli',
                'node:fs*',
                'node:net',
                'node:http*',
                'pg',
                'kysely',
                'fastify',
              ],
              message: 'The domain core does no I/O.',
            },
          ],
        },
      ],
    },
  },
);
