// ESLint for the whole repo (flat config). Type-aware rules are left out on purpose: `npm run
// typecheck` already runs the compiler, and lint stays fast enough to run on every save.
import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import reactHooks from 'eslint-plugin-react-hooks'
import globals from 'globals'

export default tseslint.config(
  {
    ignores: ['build/**', 'public/build/**', '.cache/**', '.data/**', 'server/db/generated/**', 'tests/e2e/artifacts/**', 'node_modules/**', 'client/dist/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      // `_`-prefixed names are deliberately unused (placeholders in destructuring and signatures).
      // Input checks match control characters on purpose (NUL, C0/C1 in redirects and names).
      'no-control-regex': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true }],
    },
  },
  {
    // Tests walk the router by dotted path and read untyped wire payloads: `any` is the honest type there.
    files: ['tests/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['app/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    // The classic hook rules. The React Compiler rules of react-hooks v7 (refs, set-state-in-effect)
    // describe code the compiler can memoise; we do not run the compiler.
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'warn' },
  },
)
