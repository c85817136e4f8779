// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const pureLayers = ['src/rules/**/*.ts', 'src/engine/**/*.ts', 'src/model/**/*.ts', 'src/report/**/*.ts', 'src/logs/**/*.ts'];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'bench/out/**', '**/*.js', '!eslint.config.js'] },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowBoolean: true }],
      '@typescript-eslint/no-unnecessary-condition': ['error', { allowConstantLoopConditions: true }],
    },
  },
  {
    files: pureLayers,
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [
          { name: 'node:fs', message: 'Only src/sources and src/cli may touch the file system.' },
          { name: 'node:fs/promises', message: 'Only src/sources and src/cli may touch the file system.' },
          { name: 'fs', message: 'Only src/sources and src/cli may touch the file system.' },
          { name: 'node:child_process', message: 'Only src/sources may run programs.' },
          { name: '@kubernetes/client-node', message: 'Only src/sources/live talks to a cluster.' },
        ],
      }],
      'no-restricted-globals': ['error',
        { name: 'process', message: 'Pure layers get what they need passed in.' },
        { name: 'console', message: 'Pure layers return data; the CLI prints.' },
      ],
      'no-restricted-properties': ['error', { object: 'Date', property: 'now', message: 'Time is passed in (ScanContext.now).' }],
    },
  },
  {
    files: ['eslint.config.js'],
    ...tseslint.configs.disableTypeChecked,
  },
);
