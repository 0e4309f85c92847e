// Every test of the monorepo in one run. End-to-end tests boot the built services, so the global set-up
// builds dist/ first (incrementally).
module.exports = {
  preset: './jest.preset.js',
  rootDir: __dirname,
  roots: ['<rootDir>/apps', '<rootDir>/libs'],
  testMatch: ['**/*.spec.ts'],
  globalSetup: '<rootDir>/scripts/jest-global-setup.js',
  testTimeout: 60_000,
};
