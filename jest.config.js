/** Two projects: fast unit tests next to the code, and integration tests against the real local stack. */
const transform = { '^.+\\.tsx?$': ['@swc/jest', { jsc: { target: 'es2022' } }] };
const common = { testEnvironment: 'node', transform, moduleFileExtensions: ['ts', 'js', 'json'] };

module.exports = {
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: ['<rootDir>/*/src/**/*.test.ts', '<rootDir>/scripts/**/*.test.ts', '<rootDir>/test/support/**/*.test.ts', '<rootDir>/ops/**/*.test.ts'],
      testPathIgnorePatterns: ['\\.integration\\.test\\.ts$', '/node_modules/'],
    },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/*/src/**/*.integration.test.ts', '<rootDir>/test/**/*.integration.test.ts'],
      globalSetup: '<rootDir>/scripts/stack/jestGlobalSetup.ts',
      globalTeardown: '<rootDir>/scripts/stack/jestGlobalTeardown.ts',
      setupFiles: ['<rootDir>/scripts/stack/jestSetupEnv.ts'],
      testTimeout: 300000,
    },
  ],
};
