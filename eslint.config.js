// @ts-check
import fs from 'node:fs';
import tseslint from 'typescript-eslint';

const folders = () =>
  fs
    .readdirSync('src', { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name);

/*
 * typescript-eslint's recommended rules, lines of at most 120 characters (a line is allowed to run long only for a
 * string or template literal, which cannot be broken without changing it), and import boundaries: a feature's files
 * are private to it, other folders import its public module (`src/<feature>/index.ts`).
 */
const features = [
  'approvals',
  'campaigns',
  'forms',
  'monitoring',
  'project-rules',
  'quizzes',
  'org',
  'projects',
  'sampling',
  'results',
  'project-history',
  'files',
  'directory',
];

export default tseslint.config(
  { ignores: ['node_modules/**', 'data/**', 'dist/**', 'src/sandbox/static/**', 'coverage/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      'max-len': [
        'error',
        { code: 120, ignoreStrings: true, ignoreTemplateLiterals: true, ignoreRegExpLiterals: true, ignoreUrls: true },
      ],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    // Handlers are small named functions: one that grows past a screen is doing several jobs.
    files: ['src/**/*.ts'],
    rules: { 'max-lines-per-function': ['error', { max: 60, skipBlankLines: true, skipComments: true, IIFEs: true }] },
  },
  ...['src/*.ts', ...folders().map((f) => `src/${f}/**/*.ts`)].map((files) => ({
    files: [files],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: features
            .filter((feature) => !files.startsWith(`src/${feature}/`))
            .map((feature) => ({
              // The public module is `<feature>/index.ts`; anything else inside the folder is private.
              regex: `^\\.\\.?/(\\.\\./)*${feature}/(?!index\\.ts$)`,
              message: `Import the ${feature} feature through its public module ('../${feature}'), not its internals.`,
            })),
        },
      ],
    },
  })),
);
