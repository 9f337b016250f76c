// ESLint with typescript-eslint's type-aware rules. Each file is linted with the tsconfig that
// builds or checks it (packages and the example: their own; tests: tsconfig.test.json; scripts/
// and bench/: tsconfig.scripts.json), never a default project: that would type them differently
// from the compiler and take minutes.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '.tools/**', '.stack/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      parserOptions: {
        project: [
          './packages/*/tsconfig.json',
          './examples/*/tsconfig.json',
          './tsconfig.test.json',
          './tsconfig.legacy-decorators.json',
          './tsconfig.scripts.json',
        ],
        tsconfigRootDir: import.meta.dirname,
      },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // A promise nobody awaits or handles is a lost error, or an unhandled rejection in the host.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-import-type-side-effects': 'error',
      '@typescript-eslint/no-unnecessary-type-assertion': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true },
      ],
      // Wrappers and structural types accept any function on purpose (see Tracker, DbQueryTracker).
      '@typescript-eslint/no-explicit-any': 'off',
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      // The compiler checks names (every linted file is in a tsconfig), with the right globals.
      'no-undef': 'off',
      'no-console': 'error',
    },
  },
  {
    // Tests hand async callbacks to servers and frameworks (Koa's `app.callback()`, a listen
    // callback) on purpose; a rejection there fails the test. Source code gets the full check.
    files: ['**/test/**', 'test-support/**'],
    rules: {
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
    },
  },
  {
    // Fixtures run as child processes of the tests: a rejection crashes the child, which is how
    // the test sees it. Some drop a rejected promise on purpose (track-dropped-rejection.js).
    // Fixtures that play a service's app may load it as a service would (`require()` in a tsx app).
    files: ['**/test/fixtures/**'],
    rules: {
      '@typescript-eslint/no-floating-promises': 'off',
      '@typescript-eslint/no-require-imports': 'off',
    },
  },
  {
    // The demo service logs its start-up and store state to the console, as a service does.
    files: ['examples/**'],
    rules: { 'no-console': 'off' },
  },
  {
    // CommonJS scripts, benchmarks and test fixtures: `require` is how they load modules.
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: {
      '@typescript-eslint/no-require-imports': 'off',
      'no-console': 'off',
    },
  },
);
