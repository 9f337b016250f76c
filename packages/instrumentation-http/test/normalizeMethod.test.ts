import { normalizeMethod } from '../src/normalizeMethod';

test.each([
  ['GET', 'GET'],
  ['get', 'GET'],
  ['Post', 'POST'],
  ['PATCH', 'PATCH'],
  ['QUERY', 'QUERY'],
  ['PROPFIND', '_OTHER'],
  ['MKCOL', '_OTHER'],
  ['FOO', '_OTHER'],
  [undefined, '_OTHER'],
])('%s → %s', (method, label) => {
  expect(normalizeMethod(method)).toBe(label);
});
