import type { Config } from 'jest';

// One jest run over every package. Tests import the packages' sources through ts-jest; packages
// import each other through their built `dist/` (npm test builds first).
const config: Config = {
  testEnvironment: 'node',
  roots: ['<rootDir>/packages', '<rootDir>/examples', '<rootDir>/monitoring'],
  testMatch: ['**/test/**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.test.json' }] },
  testTimeout: 30000,
  watchman: false,
};

export default config;
