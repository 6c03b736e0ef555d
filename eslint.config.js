// Lint: TypeScript's recommended rules plus the project's layering rules. The engine is the
// product's core and must run in plain Node (CLI, render-farm workers, tests), so it may not
// import Electron; neither may the CLI or the shared API contract.
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'out/', 'dist/', 'release/', '.bench/', '.tmp/', 'models/export/**/*.py'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  {
    files: ['src/engine/**', 'src/cli/**', 'src/api/**', 'src/renderer/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'Only src/main and src/preload may import Electron.' }],
          patterns: [{ group: ['electron/*'], message: 'Only src/main and src/preload may import Electron.' }],
        },
      ],
    },
  },
  {
    files: ['src/renderer/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'The renderer talks to the typed API only.' }],
          patterns: [
            { group: ['**/engine/**', 'node:*'], message: 'The renderer talks to the typed API only (src/api).' },
          ],
        },
      ],
    },
  },
);
