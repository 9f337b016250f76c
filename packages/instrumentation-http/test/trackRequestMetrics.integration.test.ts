import { join } from 'node:path';
import { fixtureRunner } from '../../../test-support/fixtures';

// Child processes (Node, npm, the binaries) start slowly on a loaded machine.
jest.setTimeout(30_000);

// In a real process: jest's sandbox does not see the process's `unhandledRejection` events.
test('a rejection the caller drops is recorded, and no longer reported by Node as unhandled (as the README says)', async () => {
  const { lines, stderr } = await fixtureRunner(join(__dirname, 'fixtures'), 'http')('track-dropped-rejection.js');
  expect(lines).toEqual([
    'caught: handled',
    'unhandled: untracked',
    'http_requests_total{method="GET",endpoint="/dropped",status_code="500"} 1',
    'http_requests_total{method="GET",endpoint="/handled",status_code="500"} 1',
  ]);
  expect(stderr).toBe('');
});
