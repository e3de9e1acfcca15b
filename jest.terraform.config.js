/**
 * The tests that read what the real Terraform CLI produced (`npm run plan:offline` → cdktf.out/plans).
 * `.ci/run` runs them after the offline plan: `npx jest -c jest.terraform.config.js`. `npm test` does
 * not (it must not need Terraform); see jest.config.js.
 */
const base = require('./jest.config');

/** @type {import('jest').Config} */
module.exports = { ...base, testMatch: ['**/__tests__/terraform/**/*.test.ts'], testPathIgnorePatterns: ['/node_modules/'] };
