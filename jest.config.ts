import type { Config } from 'jest';

// Three layers, one jest project each; `npm test` runs them all, `npm run test:unit` (and
// `test:integration`, `test:e2e`) one alone. A test file says its layer in its name:
// - `*.test.ts`: unit, in-process (its own loopback servers and promtool checks at most);
// - `*.integration.test.ts`: real servers and processes: PostgreSQL, Redis, Alertmanager, child
//   Node processes, npm;
// - `*.e2e.test.ts`: the Prometheus stack and the demo service.
// The timeout is short everywhere (5 s): a test that needs longer says so (`jest.setTimeout` at the
// top of its file, or a timeout argument), so that a hang fails fast.
//
// Tests import the packages' sources through ts-jest; packages import each other through their
// built `dist/` (npm test builds first).
const transform: Config['transform'] = {
  // Legacy (`experimentalDecorators`) decorator tests compile with that setting; the rest with
  // TypeScript 5's standard decorators. The first matching pattern wins.
  '^.+\\.legacy-decorators\\.(?:[a-z0-9]+\\.)?test\\.ts$': '<rootDir>/test-support/legacyDecoratorsTransform.js',
  '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.test.json' }],
};

const roots = ['<rootDir>/packages', '<rootDir>/examples', '<rootDir>/monitoring', '<rootDir>/test'];

function layer(displayName: string, testMatch: string[], testPathIgnorePatterns: string[] = []): Config {
  return {
    displayName,
    testEnvironment: 'node',
    roots,
    testMatch,
    testPathIgnorePatterns: ['/node_modules/', ...testPathIgnorePatterns],
    transform,
    testTimeout: 5000,
  };
}

const config: Config = {
  projects: [
    layer('unit', ['**/test/**/*.test.ts'], ['\\.integration\\.test\\.ts$', '\\.e2e\\.test\\.ts$']),
    layer('integration', ['**/test/**/*.integration.test.ts']),
    layer('e2e', ['**/test/**/*.e2e.test.ts']),
  ],
  watchman: false,
};

export default config;
