// ESLint (flat config): typescript-eslint's recommended rules plus the house rules of ../shared/STYLE.md that a
// linter can check. Import boundaries are checked by dependency-cruiser (.dependency-cruiser.cjs).
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'data/', 'scratch/', 'coverage/', 'test-results/', 'src/web/static/vendor/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node }, ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      'no-console': 'error',
    },
  },
  {
    files: ['src/**/*.{ts,tsx}'],
    ignores: ['src/config.ts', 'src/**/*.test.{ts,tsx}'],
    rules: {
      // Configuration is read in one place (STYLE: config.ts is the only reader of process.env).
      'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'Read configuration through src/config.ts.' }],
    },
  },
  {
    files: ['src/**/*.{ts,tsx}'],
    ignores: ['src/db/**'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          // Kysely's own db.transaction() bypasses the guard that turns a stray query into an error instead of a
          // deadlock on the embedded engine; use Database.transaction(fn).
          selector: "CallExpression[callee.property.name='transaction'][arguments.length=0]",
          message: 'Use database.transaction(fn) from kernel/db, not Kysely’s transaction().',
        },
      ],
    },
  },
  {
    // Browser scripts served as static files (no build step): plain ES5-style scripts with browser globals.
    files: ['src/web/static/**/*.js'],
    languageOptions: { globals: { ...globals.browser }, sourceType: 'script' },
  },
  {
    files: ['scripts/**', 'bench/**', 'test/**', '**/*.test.{ts,tsx}', 'src/main.ts'],
    rules: { 'no-console': 'off' },
  },
);
