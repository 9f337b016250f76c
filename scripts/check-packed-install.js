#!/usr/bin/env node
'use strict';
// `npm run check:packed`: what users install is what this proves. Packs every published workspace
// (`npm pack`), installs the tarballs with Express, pg and ioredis in two fresh apps outside the
// repository, with no overrides: a CommonJS one (scripts/packed-install/app.cjs, initTelemetry()
// first) and an ES-module TypeScript one (app.mts: strict, `module: nodenext`, started with
// `--import @agent-telemetry/node/register`). For each: one copy of every `@opentelemetry/*`
// package, a clean type check (ESM app, `skipLibCheck: false`), and a run against the real
// PostgreSQL and Redis whose scraped exposition must hold the expected series.
//
// Options: --keep leaves the apps in the temporary directory (printed) for a look.
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { ROOT, rootManifest, publishedWorkspaces } = require('./lib/workspaces');

const APPS = path.join(__dirname, 'packed-install');
const keep = process.argv.includes('--keep');

/**
 * Runs a command, its output shown, and returns its stdout when `capture` is set.
 * @param {string} command
 * @param {string[]} args
 * @param {{ cwd: string, env?: Record<string, string>, capture?: boolean }} options
 */
function run(command, args, { cwd, env = {}, capture = false }) {
  process.stderr.write(`$ (${path.relative(ROOT, cwd) || '.'}) ${command} ${args.join(' ')}\n`);
  return execFileSync(command, args, {
    cwd,
    env: { ...process.env, ...env },
    stdio: ['ignore', capture ? 'pipe' : 'inherit', 'inherit'],
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
}

/** Packs every published workspace into `dir`; returns the tarballs' paths by package name. */
function packAll(dir) {
  /** @type {Record<string, string>} */
  const tarballs = {};
  for (const { manifest, relativeDir } of publishedWorkspaces()) {
    const [packed] = JSON.parse(
      run('npm', ['pack', '--json', '--pack-destination', dir, '--workspace', relativeDir], {
        cwd: ROOT,
        capture: true,
      }),
    );
    tarballs[manifest.name] = path.join(dir, packed.filename);
  }
  return tarballs;
}

/** The version range the repository itself uses for `name` (a dev dependency of the root or a package). */
function repoRange(name) {
  for (const manifest of [rootManifest(), ...publishedWorkspaces().map((w) => w.manifest)]) {
    const range = manifest.devDependencies?.[name] ?? manifest.dependencies?.[name];
    if (range !== undefined) return range;
  }
  throw new Error(`no workspace depends on ${name}`);
}

/** Writes a fresh app into `dir` and installs it from the tarballs and the registry. */
function createApp(dir, { type, tarballs, devDependencies = {} }) {
  fs.mkdirSync(dir, { recursive: true });
  const dependencies = Object.fromEntries(Object.entries(tarballs).map(([name, file]) => [name, `file:${file}`]));
  for (const name of ['@opentelemetry/api', 'express', 'pg', 'ioredis']) dependencies[name] = repoRange(name);
  const manifest = { name: `packed-${type}`, version: '1.0.0', private: true, type, dependencies, devDependencies };
  fs.writeFileSync(path.join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: dir });
}

/** Every installed copy of each `@opentelemetry/*` package under `dir`: name to versions and paths. */
function openTelemetryCopies(dir) {
  /** @type {Map<string, string[]>} */
  const copies = new Map();
  const visit = (modules) => {
    if (!fs.existsSync(modules)) return;
    for (const entry of fs.readdirSync(modules)) {
      if (entry.startsWith('.')) continue;
      const names = entry.startsWith('@')
        ? fs.readdirSync(path.join(modules, entry)).map((n) => `${entry}/${n}`)
        : [entry];
      for (const name of names) {
        const packageDir = path.join(modules, name);
        const manifestFile = path.join(packageDir, 'package.json');
        if (name.startsWith('@opentelemetry/') && fs.existsSync(manifestFile)) {
          const { version } = JSON.parse(fs.readFileSync(manifestFile, 'utf8'));
          copies.set(name, [...(copies.get(name) ?? []), `${version} at ${path.relative(dir, packageDir)}`]);
        }
        visit(path.join(packageDir, 'node_modules'));
      }
    }
  };
  visit(path.join(dir, 'node_modules'));
  return copies;
}

function assertOneCopyEach(dir) {
  const copies = openTelemetryCopies(dir);
  const duplicated = [...copies].filter(([, found]) => found.length > 1);
  if (duplicated.length > 0) {
    throw new Error(
      `more than one copy of ${duplicated.map(([name, found]) => `${name} (${found.join(', ')})`).join('; ')}`,
    );
  }
  process.stderr.write(`one copy each of ${copies.size} @opentelemetry/* packages\n`);
}

/** Fails unless every line of `expected` is a line of the exposition `text`. */
function assertExposition(app, text, expected) {
  const lines = new Set(text.split('\n'));
  const missing = expected.filter((line) => !lines.has(line));
  if (missing.length > 0) {
    throw new Error(`${app}: the exposition lacks\n  ${missing.join('\n  ')}\n--- exposition ---\n${text}`);
  }
  process.stderr.write(`${app}: the exposition has all ${expected.length} expected lines\n`);
}

/** The series both apps record: two requests to one route, each with one query and one command. */
function commonLines(table) {
  return [
    '# TYPE http_requests_total counter',
    'http_requests_total{method="GET",endpoint="/api/v1/items/:id",status_code="200"} 2',
    'http_request_duration_seconds_count{method="GET",endpoint="/api/v1/items/:id",status_code="200"} 2',
    `db_query_duration_seconds_count{operation="select",table="${table}"} 2`,
    'redis_operations_total{operation="get",status="success"} 2',
    'redis_operation_duration_seconds_count{operation="get"} 2',
    'customer_signups_total{tier="pro"} 2',
  ];
}

function main() {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'agent-telemetry-packed-'));
  try {
    // From a clean build: `tsc --build` leaves the output of deleted sources in dist/, which
    // `npm pack` would ship.
    for (const { dir } of publishedWorkspaces()) {
      for (const output of ['dist', 'tsconfig.tsbuildinfo'])
        fs.rmSync(path.join(dir, output), { recursive: true, force: true });
    }
    run('npm', ['run', 'build'], { cwd: ROOT });
    const tarballs = packAll(work);

    const cjs = path.join(work, 'cjs-app');
    createApp(cjs, { type: 'commonjs', tarballs });
    fs.copyFileSync(path.join(APPS, 'app.cjs'), path.join(cjs, 'app.cjs'));
    assertOneCopyEach(cjs);
    const cjsTable = `packed_install_${process.pid}_cjs`;
    const cjsText = run('node', ['app.cjs'], { cwd: cjs, env: { PACKED_TABLE: cjsTable }, capture: true });
    assertExposition('CommonJS app', cjsText, [
      ...commonLines(cjsTable),
      expectLine(cjsText, /^app_info\{.*service="packed-cjs".*\} 1$/),
    ]);

    const esm = path.join(work, 'esm-app');
    createApp(esm, {
      type: 'module',
      tarballs,
      devDependencies: Object.fromEntries(
        ['typescript', '@types/node', '@types/express', '@types/pg'].map((name) => [name, repoRange(name)]),
      ),
    });
    fs.mkdirSync(path.join(esm, 'src'));
    fs.copyFileSync(path.join(APPS, 'app.mts'), path.join(esm, 'src', 'app.mts'));
    const tsconfig = {
      compilerOptions: {
        target: 'ES2022',
        module: 'nodenext',
        moduleResolution: 'nodenext',
        strict: true,
        noUncheckedIndexedAccess: true,
        skipLibCheck: false,
        types: ['node'],
        outDir: 'dist',
        rootDir: 'src',
      },
      include: ['src'],
    };
    fs.writeFileSync(path.join(esm, 'tsconfig.json'), `${JSON.stringify(tsconfig, null, 2)}\n`);
    assertOneCopyEach(esm);
    run('npx', ['tsc', '-p', '.'], { cwd: esm });
    const esmTable = `packed_install_${process.pid}_esm`;
    const esmText = run('node', ['--import', '@agent-telemetry/node/register', 'dist/app.mjs'], {
      cwd: esm,
      env: {
        PACKED_TABLE: esmTable,
        OTEL_SERVICE_NAME: 'packed-esm',
        OTEL_EXPORTER_PROMETHEUS_HOST: '127.0.0.1',
        OTEL_EXPORTER_PROMETHEUS_PORT: '0',
      },
      capture: true,
    });
    assertExposition('ES-module app', esmText, [
      ...commonLines(esmTable),
      'db_query_duration_seconds_count{operation="select",table="items_by_hand"} 2',
      'llm_api_calls_total{provider="anthropic",model="claude-sonnet-4",status="success"} 1',
      'llm_tokens_used_total{provider="anthropic",model="claude-sonnet-4",type="input"} 10',
      'http_requests_total{method="GET",endpoint="/queue/items",status_code="200"} 1',
      'auth_failures_total{reason="expired_token"} 1',
      expectLine(esmText, /^app_info\{.*service="packed-esm".*\} 1$/),
    ]);
    process.stderr.write('packed install: OK\n');
  } finally {
    if (keep) process.stderr.write(`apps kept in ${work}\n`);
    else fs.rmSync(work, { recursive: true, force: true });
  }
}

/** The first line of `text` matching `pattern`, or the pattern's text (reported as missing). */
function expectLine(text, pattern) {
  return text.split('\n').find((line) => pattern.test(line)) ?? `a line matching ${pattern}`;
}

main();
