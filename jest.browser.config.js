/**
 * The browser tests: Debian's chromium driven by playwright-core against `npm start`'s
 * runtime. Run by `npm run test:browser` (and by .ci/run, which installs chromium first).
 */
const base = require('./jest.config.js');

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  roots: ['<rootDir>/__tests__/browser'],
  testPathIgnorePatterns: [],
  maxWorkers: 1,
};
