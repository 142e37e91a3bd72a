// Type-aware linting: floating promises and import cycles are the bugs that hurt a durable pipeline most.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';
import reactHooks from 'eslint-plugin-react-hooks';

// Other packages are reached through their public entry (or a named sub-entry such as @voyce/core/domain), never
// by a path into their sources.
const DEEP_IMPORT = { group: ['@voyce/*/src', '@voyce/*/src/**'], message: "Import through the package's public entry, not its src/ path." };

export default tseslint.config(
  { ignores: ['**/node_modules/**', '.venv/**', '.data/**', '**/dist/**', 'workers/workflow-bundle.js', 'web/*', 'extension/*', 'mobile/*', '!web/e2e', '!extension/e2e', '!mobile/e2e', '!web/src', '!extension/src', '!mobile/src', '**/e2e/screenshots/**', 'clients/api-client/src/generated/**', 'clients/api-client/generated/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: { parserOptions: { project: './tsconfig.json', tsconfigRootDir: import.meta.dirname } },
    plugins: { 'import-x': importX },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'import-x/no-cycle': 'error',
      '@typescript-eslint/no-restricted-imports': ['error', { patterns: [DEEP_IMPORT] }],
    },
  },
  // The API imports workflow types only (the shared names live in @voyce/core/domain): no workflow code in the server.
  {
    files: ['api/src/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', { patterns: [DEEP_IMPORT], paths: [{ name: '@voyce/workflows', allowTypeImports: true, message: 'The API imports workflow types only; shared names are in @voyce/core/domain.' }] }],
    },
  },
  // The client apps: each type-checked against its own tsconfig (their own node_modules and DOM/React Native types).
  ...['web', 'extension', 'mobile'].map((app) => ({
    files: [`${app}/src/**/*.{ts,tsx}`],
    languageOptions: { parserOptions: { project: `./${app}/tsconfig.json`, tsconfigRootDir: import.meta.dirname } },
    // React Native ships Flow sources: import-x must not parse dependencies (the cycle check is about our code).
    settings: { 'import-x/ignore': ['node_modules'] },
  })),
  { files: ['{web,mobile}/src/**/*.{ts,tsx}'], plugins: { 'react-hooks': reactHooks }, rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': ['error', { additionalHooks: '^useAsync$' }] } },
  { files: ['clients/api-client/**/*.ts'], languageOptions: { parserOptions: { project: './clients/api-client/tsconfig.json', tsconfigRootDir: import.meta.dirname } } },
  {
    files: ['workflows/src/**/*.ts'],
    ignores: ['workflows/src/**/*.test.ts', 'workflows/src/testing.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', {
        patterns: [DEEP_IMPORT, { group: ['node:*', 'fs', 'path', 'crypto', 'http', 'https', 'pg', 'knex', '@azure/*'], message: 'Workflow code is deterministic: no I/O modules.' }],
        // The workflow bundle must not load the server's dependencies: the domain sub-entry, or types only.
        paths: [{ name: '@voyce/core', allowTypeImports: true, message: 'Workflows import @voyce/core/domain (or types only).' }],
      }],
    },
  },
  { files: ['test/**/*.ts', '**/*.test.ts', '**/*.test.tsx'], rules: { '@typescript-eslint/no-explicit-any': 'off' } },
  { files: ['**/*.js', '**/*.mjs'], languageOptions: { globals: { module: 'writable', require: 'readonly', process: 'readonly', __dirname: 'readonly' } } },
);
