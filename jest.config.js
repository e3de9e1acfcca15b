/**
 * Jest runs TypeScript through @swc/jest: no type checking in the transform
 * (that is `tsc --noEmit`'s job), which keeps the suite fast and small.
 */
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/__tests__'],
  testMatch: ['**/*.test.ts'],
  // Tests of real Terraform output need the CLI; `.ci/run` runs them with jest.terraform.config.js.
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/__tests__/terraform/'],
  transform: {
    '^.+\\.(t|j)sx?$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } }],
  },
  setupFilesAfterEnv: ['<rootDir>/__tests__/setup.ts'],
  testTimeout: 60000,
  maxWorkers: 2,
};
