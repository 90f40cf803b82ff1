import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'runs/**', 'bench/reference/**', 'bench/results/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  {
    // Plugins and datasets, built-in or not, reach the core through the package root only:
    // the plugin kit it exports is the whole of what a plugin may rely on. A plugin's portable
    // part (what a browser bundle takes) imports the portable entry, src/portable.js, instead.
    files: ['plugins/**', 'datasets/**', 'examples/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '(^|/)src/(?!(index|portable)\\.js$)',
              message:
                'A plugin imports only the package root (src/index.js) or its portable entry (src/portable.js); export what it needs there, in the plugin kit.',
            },
          ],
        },
      ],
    },
  },
);
