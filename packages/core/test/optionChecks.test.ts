import { TelemetryConfigError } from '../src';
import { checkOptionTypes } from '../src/optionChecks';

const TYPES = {
  enabled: 'boolean',
  requestHook: 'function',
  name: 'string',
  limit: 'number',
  modules: 'object',
} as const;

test.each([
  [{ enabled: 'yes' }, 'plugin.enabled', 'yes', 'a boolean'],
  [{ requestHook: 42 }, 'plugin.requestHook', 42, 'a function'],
  [{ name: 7 }, 'plugin.name', 7, 'a string'],
  [{ limit: '10' }, 'plugin.limit', '10', 'a number'],
  [{ modules: null }, 'plugin.modules', null, 'an object'],
  [{ requestHook: Symbol.for('x') }, 'plugin.requestHook', 'Symbol(x)', 'a function'],
  ['on', 'plugin', 'on', 'an options object, or false'],
  [[], 'plugin', [], 'an options object, or false'],
])('%j: a TelemetryConfigError naming %s', (options, field, value, accepted) => {
  expect(() => checkOptionTypes('plugin', options, TYPES)).toThrow(new TelemetryConfigError(field, value, accepted));
});

test('unset options, fields of the right type and fields it does not know pass', () => {
  expect(() => checkOptionTypes('plugin', undefined, TYPES)).not.toThrow();
  expect(() =>
    checkOptionTypes(
      'plugin',
      { enabled: false, requestHook: () => {}, name: 'n', limit: 1, modules: {}, other: 'upstream option' },
      TYPES,
    ),
  ).not.toThrow();
});
