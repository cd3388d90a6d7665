// One jest run = one PostgreSQL database and one Redis key prefix (see test/support/global-setup.ts),
// so concurrent runs on one machine never collide.
const fs = require('node:fs');
const swcrc = JSON.parse(fs.readFileSync(`${__dirname}/.swcrc`, 'utf8'));
const swcOptions = { ...swcrc, swcrc: false, sourceMaps: 'inline' };
// NestJS 12 and a growing number of its dependencies ship ES modules only. Node >= 20.19 loads
// them with require(esm), but jest's module runtime only does on Node >= 24.9, so jest compiles
// every ES-module file of node_modules to CommonJS as it loads it (cached after the first run).
const transform = {
  '^.+\\.ts$': ['@swc/jest', swcOptions],
  '^.+\\.m?js$': ['<rootDir>/test/support/esm-to-cjs.transformer.js', { ...swcOptions, jsc: { ...swcOptions.jsc, parser: { syntax: 'ecmascript' } } }],
};
const transformIgnorePatterns = [];
const moduleNameMapper = {
  '^@delta/(config|core|jobs|scim|persistence|observability|mapping|connectors)$': '<rootDir>/libs/$1/src',
  '^@delta/(config|core|jobs|scim|persistence|observability|mapping|connectors)/(.*)$': '<rootDir>/libs/$1/src/$2',
};
const common = { transform, transformIgnorePatterns, moduleNameMapper, testEnvironment: 'node', rootDir: __dirname };

module.exports = {
  // Integration suites start real processes and databases; a global option in jest 30.
  testTimeout: 60000,
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs}/**/*.spec.ts'] },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/{apps,libs}/**/*.int-spec.ts', '<rootDir>/test/{e2e,conformance}/**/*.e2e-spec.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
      testEnvironmentOptions: { globalsCleanup: 'off' },
    },
  ],
};
