// Lint rules, including the import zones that keep the layering one-way (see README):
// shared/ imports nothing from the other layers, the renderer never imports Electron or Node,
// main/ does not reach into renderer/ or collab-server/, the preload sees only the IPC contract.
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const NODE_BUILTINS = [
  'node:*',
  'fs',
  'fs/*',
  'path',
  'os',
  'child_process',
  'http',
  'https',
  'net',
  'crypto',
  'url',
  'stream',
  'events',
  'util',
  'worker_threads',
  'zlib',
  'buffer',
  'process',
];

/** no-restricted-imports options forbidding the given module names and path patterns. */
function forbid(message, patterns) {
  return ['error', { patterns: [{ group: patterns, message }] }];
}

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'release/**',
      '.tsbuild/**',
      'node_modules/**',
      'bench/.build/**',
      'bench/.soak-build/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/consistent-type-definitions': ['error', 'type'],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: { ...tseslint.configs.disableTypeChecked.languageOptions, globals: globals.node },
  },
  {
    files: ['**/*.cjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      ...tseslint.configs.disableTypeChecked.languageOptions,
      sourceType: 'commonjs',
      globals: globals.node,
    },
    rules: { ...tseslint.configs.disableTypeChecked.rules, '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['shared/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': forbid(
        'shared/ is pure TypeScript: no Node, DOM, Electron, React or other layers.',
        [
          ...NODE_BUILTINS,
          'electron',
          'react',
          'react-dom',
          'zustand',
          'ws',
          'y-websocket',
          '**/main/**',
          '**/renderer/**',
          '**/collab-server/**',
          '../main',
          '../renderer',
          '../collab-server',
        ],
      ),
    },
  },
  {
    files: ['renderer/**/*.ts', 'renderer/**/*.tsx'],
    ignores: ['**/*.test.ts', '**/*.test.tsx', 'renderer/vite.config.ts'],
    plugins: { 'react-hooks': reactHooks },
    languageOptions: { globals: globals.browser },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': forbid('The renderer talks to the desktop only through src/platform.ts.', [
        ...NODE_BUILTINS,
        'electron',
        '**/main/**',
        '**/collab-server/**',
      ]),
    },
  },
  {
    files: ['main/**/*.ts'],
    ignores: ['**/*.test.ts', 'main/preload.ts'],
    rules: {
      'no-restricted-imports': forbid(
        'main/ starts the collab-server by entry point and never imports the renderer.',
        ['**/renderer/**', '**/collab-server/**'],
      ),
    },
  },
  {
    files: ['main/preload.ts'],
    rules: {
      'no-restricted-imports': forbid('The preload exposes the IPC contract only.', [
        ...NODE_BUILTINS,
        '**/renderer/**',
        '**/collab-server/**',
        '../shared/*',
        '!../shared/ipc',
        './*',
      ]),
    },
  },
  {
    files: ['collab-server/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': forbid('collab-server/ is plain Node: shared/ and its own modules only.', [
        'electron',
        'react',
        'react-dom',
        '**/main/**',
        '**/renderer/**',
      ]),
    },
  },
);
