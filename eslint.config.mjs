// Lint: typescript-eslint recommended, plus the core/adapter boundary:
// src/core/** must never import `vscode` (not even types), so every core test is plain mocha.
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', '.vscode-host/**', 'test-results/**', 'test/fixtures/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-require-imports': 'off',
    },
  },
  {
    files: ['src/core/**/*.ts', 'src/cli/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ name: 'vscode', message: 'src/core and src/cli are host-free: import vscode only in src/vscode or src/features.' }],
        patterns: [{ group: ['**/vscode/**', '**/features/**'], message: 'core must not depend on adapters.' }],
      }],
    },
  },
);
