/** Two projects: fast unit tests next to the code, and integration tests against the real local stack. */
const transform = { '^.+\\.tsx?$': ['@swc/jest', { jsc: { target: 'es2022' } }] };
// web/, extension/ and mobile/ are standalone npm projects with their own test runners; only their
// e2e/ folders run here, and their node_modules must never shadow the root's packages.
const common = {
  testEnvironment: 'node',
  transform,
  moduleFileExtensions: ['ts', 'js', 'json'],
  modulePathIgnorePatterns: ['<rootDir>/(web|extension|mobile)/node_modules/', '<rootDir>/(web|extension|mobile)/dist/'],
  // Outgoing network is blocked in every project: only loopback connections succeed.
  setupFiles: ['<rootDir>/test/support/blockNetwork.ts'],
};
const stackSetupFiles = [...common.setupFiles, '<rootDir>/scripts/stack/jestSetupEnv.ts'];

module.exports = {
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: ['<rootDir>/*/src/**/*.test.ts', '<rootDir>/clients/*/src/**/*.test.ts', '<rootDir>/scripts/**/*.test.ts', '<rootDir>/test/support/**/*.test.ts', '<rootDir>/ops/**/*.test.ts'],
      testPathIgnorePatterns: ['\\.integration\\.test\\.ts$', '/node_modules/', '<rootDir>/(web|extension|mobile)/'],
    },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/*/src/**/*.integration.test.ts', '<rootDir>/test/**/*.integration.test.ts'],
      globalSetup: '<rootDir>/scripts/stack/jestGlobalSetup.ts',
      globalTeardown: '<rootDir>/scripts/stack/jestGlobalTeardown.ts',
      setupFiles: stackSetupFiles,
      testTimeout: 300000,
    },
    {
      // Browser end-to-end tests of the client apps (playwright-core + Debian's Chromium) against the stack.
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/{web,extension,mobile}/e2e/**/*.e2e.test.ts'],
      globalSetup: '<rootDir>/scripts/stack/jestGlobalSetup.ts',
      globalTeardown: '<rootDir>/scripts/stack/jestGlobalTeardown.ts',
      setupFiles: stackSetupFiles,
      testTimeout: 300000,
    },
  ],
};
