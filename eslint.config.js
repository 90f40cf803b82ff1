import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'runs/**', 'bench/reference/**', 'bench/results/**', 'bench/.torch-wheel/**', 'web/dist/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  {
    // Plugins and datasets, built-in or not, reach the core by the package's name only: 'mmae'
    // (the package root, whose plugin kit is the whole of what a plugin may rely on) or, for a
    // plugin's portable part (what a browser bundle takes), 'mmae/portable'. No relative path into
    // src/: a built-in plugin takes exactly the path a user's plugin takes.
    files: ['plugins/**', 'datasets/**', 'examples/**', 'web/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(\\.\\./)+src(/|$)',
              message:
                "A plugin imports mmae by its name: 'mmae' (the package root) or 'mmae/portable' (its portable entry), never a path into src/; export what it needs there, in the plugin kit.",
            },
            {
              regex: '^mmae/(?!portable$)',
              message:
                "A plugin imports only 'mmae' or 'mmae/portable'; export what it needs there, in the plugin kit.",
            },
          ],
        },
      ],
    },
  },
);
