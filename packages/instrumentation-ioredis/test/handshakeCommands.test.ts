import { isHandshakeCommand } from '../src/handshakeCommands';

const CASES: ReadonlyArray<readonly [string, string, boolean]> = [
  ['auth', 'connect', true],
  ['hello', 'connect', true],
  ['select', 'connect', true],
  ['client', 'connect', true],
  ['info', 'connect', true],
  ['readonly', 'connect', true],
  // The service's own commands, whatever the state
  ['get', 'connect', false],
  ['set', 'connect', false],
  ['select', 'ready', false],
  ['client', 'ready', false],
  ['info', 'ready', false],
  ['info', 'wait', false],
  ['auth', 'reconnecting', false],
];

test.each(CASES)('%s while %s → %s', (name, status, expected) => {
  expect(isHandshakeCommand(name, status)).toBe(expected);
});
