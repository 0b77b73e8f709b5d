// Shared by every package's jest config: tests run TypeScript sources directly (swc → CommonJS),
// with workspace packages mapped to their src so a test never runs against a stale dist.
const path = require('node:path');
const root = __dirname;
module.exports = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.tsx?$': [
      '@swc/jest',
      { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } },
    ],
    '^.+\\.m?js$': ['@swc/jest', { jsc: { parser: { syntax: 'ecmascript' }, target: 'es2022' }, module: { type: 'commonjs' } }],
  },
  // ESM-only dependencies run through swc like our own sources.
  transformIgnorePatterns: ['/node_modules/(?!(kysely)/)'],
  moduleNameMapper: {
    '^@ledgerport/(core|db|queue|api-client|storage)$': path.join(root, 'packages/$1/src/index.ts'),
    '^@ledgerport/(api|worker)$': path.join(root, 'apps/$1/src/index.ts'),
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  testMatch: ['**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
};
