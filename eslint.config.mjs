import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';
import design from './lint/design-rules.mjs';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'bench/results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  {
    files: ['**/*.ts'],
    plugins: { design },
    rules: {
      'design/layer-imports': 'error',
      '@typescript-eslint/no-explicit-any': 'off', // plugin registries hold heterogeneous settings types
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-require-imports': 'off',
      '@typescript-eslint/no-unsafe-function-type': 'off', // TypeORM's migration lists are Function[]
      'no-constant-condition': ['error', { checkLoops: false }],
    },
  },
  {
    files: ['src/**/*.ts'],
    rules: { 'design/exported-tsdoc': 'error' },
  },
  {
    // Search is pure (DESIGN.md): no clock and no unseeded randomness; randomness comes from the rng passed in.
    files: ['src/search/**/*.ts'],
    rules: {
      'no-restricted-properties': [
        'error',
        { object: 'Math', property: 'random', message: 'use the seeded rng passed in' },
        { object: 'Date', property: 'now', message: 'search takes no clock' },
        { object: 'performance', property: 'now', message: 'search takes no clock' },
      ],
      'no-restricted-globals': ['error', { name: 'process', message: 'search reads no environment' }, { name: 'Date', message: 'search takes no clock' }],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: {
      globals: {
        require: 'readonly',
        module: 'writable',
        exports: 'writable',
        process: 'readonly',
        console: 'readonly',
        __dirname: 'readonly',
        Buffer: 'readonly',
        URL: 'readonly',
        setTimeout: 'readonly',
        setImmediate: 'readonly',
        setInterval: 'readonly',
        clearTimeout: 'readonly',
        clearInterval: 'readonly',
      },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
