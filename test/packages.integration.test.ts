import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { ROOT, publishedWorkspaces, rootManifest, workspaces } from '../scripts/lib/workspaces';

// Child processes (Node, npm, the binaries) start slowly on a loaded machine.
jest.setTimeout(30_000);

// What `npm publish` would ship, checked on the manifests and on `npm pack --dry-run`, for every
// published workspace (the list comes from the root package.json's workspaces). The install of
// the packed tarballs in fresh apps is `npm run check:packed` (.ci/run runs it).

const published = publishedWorkspaces();
const root = rootManifest();
const version = published[0]!.manifest.version as string;

/** The files `npm pack` puts in the tarball of the package in `relativeDir`. */
function packedFiles(relativeDir: string): string[] {
  const [result] = JSON.parse(
    execFileSync('npm', ['pack', '--dry-run', '--json', '--workspace', relativeDir], { cwd: ROOT, encoding: 'utf8' }),
  ) as [{ files: { path: string }[] }];
  return result.files.map((file) => file.path);
}

/** The text of the README's "Supported Versions" section. */
function supportedVersions(dir: string): string {
  const readme = readFileSync(join(dir, 'README.md'), 'utf8');
  const start = readme.indexOf('\n## Supported Versions\n');
  expect(start).toBeGreaterThan(0);
  return readme.slice(start, readme.indexOf('\n## ', start + 1));
}

test('the root has no overrides: what npm resolves for the repository is what users get', () => {
  expect(root.overrides).toBeUndefined();
});

test.each(published.map((w) => [w.manifest.name as string, w] as const))('%s is ready to publish', (_name, w) => {
  const { manifest, dir, relativeDir } = w;
  expect(manifest.license).toBe('Apache-2.0');
  expect(readFileSync(join(dir, 'LICENSE'), 'utf8')).toBe(readFileSync(join(ROOT, 'LICENSE'), 'utf8'));
  expect(manifest.repository).toEqual({ ...root.repository, directory: relativeDir });
  expect(manifest.publishConfig).toEqual({ access: 'public' });
  expect(manifest.engines).toEqual(root.engines);
  expect(manifest.exports['.']).toEqual({ types: './dist/index.d.ts', default: './dist/index.js' });
  expect(manifest.exports['./package.json']).toBe('./package.json');
  expect([manifest.main, manifest.types]).toEqual(['dist/index.js', 'dist/index.d.ts']);
  // One version for every package, and internal dependencies pinned to it (changesets' fixed group).
  expect(manifest.version).toBe(version);
  for (const [name, range] of Object.entries({ ...manifest.dependencies, ...manifest.devDependencies })) {
    if (name.startsWith('@agent-telemetry/')) expect([name, range]).toEqual([name, version]);
  }
});

test.each(published.map((w) => [w.manifest.name as string, w] as const))(
  "%s's README states every peer dependency range as package.json declares it",
  (_name, { manifest, dir }) => {
    const section = supportedVersions(dir);
    for (const [name, range] of Object.entries(manifest.peerDependencies ?? {})) {
      expect(section).toContain(`\`${name}\` \`${String(range)}\``);
    }
  },
);

test.each(published.map((w) => [w.relativeDir, w] as const))(
  '%s: the tarball holds every export target, and every source map points into it',
  (relativeDir, { manifest, dir }) => {
    const files = new Set(packedFiles(relativeDir));
    for (const required of ['package.json', 'README.md', 'LICENSE', 'CHANGELOG.md']) expect(files).toContain(required);
    const targets = Object.values(manifest.exports as Record<string, string | Record<string, string>>).flatMap(
      (target) => (typeof target === 'string' ? [target] : Object.values(target)),
    );
    for (const target of targets) expect(files).toContain(posix.normalize(target));
    const maps = [...files].filter((file) => file.endsWith('.map'));
    expect(maps.length).toBeGreaterThan(0);
    for (const map of maps) {
      const { sources } = JSON.parse(readFileSync(join(dir, map), 'utf8')) as { sources: string[] };
      for (const source of sources)
        expect([map, files.has(posix.join(posix.dirname(map), source))]).toEqual([map, true]);
    }
    expect([...files].filter((file) => /(^|\/)test\/|\.tsbuildinfo$/.test(file))).toEqual([]);
  },
);

test('changesets releases every published package together, at one version', () => {
  const config = JSON.parse(readFileSync(join(ROOT, '.changeset', 'config.json'), 'utf8')) as {
    fixed: string[][];
    ignore: string[];
    privatePackages: { version: boolean };
  };
  expect(config.fixed).toEqual([['@agent-telemetry/*']]);
  expect(published.every((w) => (w.manifest.name as string).startsWith('@agent-telemetry/'))).toBe(true);
  expect(config.privatePackages.version).toBe(false);
  // Private workspaces (the demo) are never published, yet depend on the released version.
  for (const w of workspaces().filter((w) => w.manifest.private === true)) {
    for (const [name, range] of Object.entries(w.manifest.dependencies ?? {})) {
      if (name.startsWith('@agent-telemetry/')) expect([name, range]).toEqual([name, version]);
    }
  }
});
