import { EndpointNormalizer, normalizePath, pathOf, placeholderFor } from '../src/EndpointNormalizer';

describe('placeholderFor', () => {
  test.each([
    ['42', ':id'],
    ['0', ':id'],
    ['7f3c9a2e-1b4d-4c8a-9e6f-2d5b8a1c3e7f', ':uuid'],
    ['7F3C9A2E-1B4D-4C8A-9E6F-2D5B8A1C3E7F', ':uuid'],
    ['507f1f77bcf86cd799439011', ':hex'], // MongoDB ObjectId
    ['a1b2c3d4', ':hex'],
    ['da39a3ee5e6b4b0d3255bfef95601890afd80709', ':hex'], // SHA-1
    ['V1StGXR8_Z5jdHi6B-myT', ':token'], // nanoid
    ['dGhpcyBpcyBhIHRva2VuMTIz', ':token'], // base64
    ['usr01hx4k9m2q7w8e5r', ':token'],
  ])('%s → %s', (segment, placeholder) => {
    expect(placeholderFor(segment)).toBe(placeholder);
  });

  test.each([
    'agents',
    'v1',
    'execute',
    'deadbeef', // hex letters only: a word as likely as an id
    'a1b2c3', // too short to be sure
    'my-agent-package-name',
    'release-notes-v2-final',
    'ThisIsACamelCaseName',
    '2024-01-15',
    'report.pdf',
    '',
  ])('%s stays literal', (segment) => {
    expect(placeholderFor(segment)).toBeUndefined();
  });
});

describe('normalizePath', () => {
  test.each([
    ['/api/v1/agents/42/execute', '/api/v1/agents/:id/execute'],
    ['/api/v1/packages/7f3c9a2e-1b4d-4c8a-9e6f-2d5b8a1c3e7f', '/api/v1/packages/:uuid'],
    ['/users/507f1f77bcf86cd799439011/sessions/V1StGXR8_Z5jdHi6B-myT', '/users/:hex/sessions/:token'],
    ['/', '/'],
    ['/api/v1/agents/', '/api/v1/agents/'],
    ['/orders/12/items/3', '/orders/:id/items/:id'],
  ])('%s → %s', (path, endpoint) => {
    expect(normalizePath(path)).toBe(endpoint);
  });

  test('user rules run first, in order, then the built-in placeholders', () => {
    const rules = [
      { pattern: /^\/users\/[^/]+/, replacement: '/users/:name' },
      { pattern: /\/v\d+\//g, replacement: '/:version/' },
    ];
    expect(normalizePath('/users/alice/v2/orders/17', rules)).toBe('/users/:name/:version/orders/:id');
  });
});

describe('pathOf', () => {
  test.each([
    ['/a/b?x=1', '/a/b'],
    ['/a/b#frag', '/a/b'],
    ['/a?x=1#f', '/a'],
    ['/', '/'],
    ['', '/'],
    [undefined, '/'],
    ['*', '*'],
    ['http://example.com/proxy/path?q', '/proxy/path'],
    ['not a url', '/'],
  ])('%s → %s', (url, path) => {
    expect(pathOf(url)).toBe(path);
  });
});

test('EndpointNormalizer caches per raw path and gives the same answers as normalizePath', () => {
  const normalizer = new EndpointNormalizer([{ pattern: /^\/tenants\/\w+/, replacement: '/tenants/:tenant' }]);
  for (let i = 0; i < 3000; i++) {
    expect(normalizer.normalize(`/tenants/acme/items/${i % 1500}`)).toBe('/tenants/:tenant/items/:id');
  }
});
