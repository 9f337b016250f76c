'use strict';
// The workspaces of the root package.json, read from their manifests: the one list of packages for
// the packed-install check and the packaging tests, so that a package added to `workspaces` is
// covered without a second list to update.
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..', '..');

/**
 * A workspace package.
 * @typedef {object} Workspace
 * @property {string} dir absolute directory
 * @property {string} relativeDir directory relative to the repository root, with `/`
 * @property {Record<string, any>} manifest its package.json
 */

/** @returns {Record<string, any>} */
function rootManifest() {
  return JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
}

/**
 * Every workspace of the root package.json (globs such as `packages/*` expanded), in order.
 * @returns {Workspace[]}
 */
function workspaces() {
  /** @type {string[]} */
  const patterns = rootManifest().workspaces;
  const dirs = patterns.flatMap((pattern) => {
    if (!pattern.endsWith('/*')) return [pattern];
    const parent = pattern.slice(0, -2);
    return fs
      .readdirSync(path.join(ROOT, parent), { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => `${parent}/${entry.name}`)
      .sort();
  });
  return dirs
    .filter((relativeDir) => fs.existsSync(path.join(ROOT, relativeDir, 'package.json')))
    .map((relativeDir) => ({
      dir: path.join(ROOT, relativeDir),
      relativeDir,
      manifest: JSON.parse(fs.readFileSync(path.join(ROOT, relativeDir, 'package.json'), 'utf8')),
    }));
}

/**
 * The workspaces that are published (not `private`).
 * @returns {Workspace[]}
 */
function publishedWorkspaces() {
  return workspaces().filter((workspace) => workspace.manifest.private !== true);
}

module.exports = { ROOT, rootManifest, workspaces, publishedWorkspaces };
