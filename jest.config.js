/**
 * Jest runs TypeScript through @swc/jest: no type checking in the transform
 * (that is `tsc --noEmit`'s job), which keeps the suite fast and small.
 */
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/__tests__'],
  testMatch: ['**/*.test.ts'],
  // Tests that need chromium (`npm run test:browser`, jest.browser.config.js) or the Terraform CLI
  // (`.ci/run` runs them after the offline plan, jest.terraform.config.js) run on their own.
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/__tests__/browser/', '<rootDir>/__tests__/terraform/'],
  transform: {
    '^.+\\.(t|j)sx?$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } }],
  },
  setupFilesAfterEnv: ['<rootDir>/__tests__/setup.ts'],
  testTimeout: 60000,
  maxWorkers: 2,
};
