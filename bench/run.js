'use strict';
// `npm run bench`: runs each benchmark in its own Node process, one after another, so that one
// benchmark's heap and JIT state do not weigh on the next. The database benchmark needs the
// PostgreSQL and Redis of DATABASE_URL / REDIS_URL.

const { spawnSync } = require('node:child_process');
const { join } = require('node:path');

const BENCHMARKS = [
  ['recording', 'record.js'],
  ['scrape', 'scrape.js'],
  ['HTTP', 'http.js'],
  ['database', 'db.js'],
  ['LLM streams', 'llm.js'],
  ['hostile input', 'hostile.js'],
];

let failed = false;
for (const [title, file] of BENCHMARKS) {
  const script = join(__dirname, file);
  process.stdout.write(`\n## ${title} (bench/${file})\n\n`);
  const { status, signal } = spawnSync(process.execPath, [script], { stdio: 'inherit' });
  if (status !== 0) {
    failed = true;
    process.stderr.write(`bench/${file} failed (${signal ?? `exit ${status}`})\n`);
  }
}
process.exitCode = failed ? 1 : 0;
