'use strict';
// Child processes of the local stack: find the binaries, pick ports, start, wait until ready, stop.
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');
const { spawn } = require('node:child_process');

const STOP_GRACE_MS = 10_000;

/**
 * How a service's process ended.
 * @typedef {{ readonly code: number | null, readonly signal: NodeJS.Signals | null, readonly error?: Error }} ExitInfo
 */

/**
 * A running service of the stack.
 * @typedef {object} ServiceHandle
 * @property {string} name
 * @property {Promise<ExitInfo>} exited resolves when the process exits
 * @property {boolean} stopping whether stop() was called: an exit before that is unexpected
 * @property {() => Promise<void>} stop SIGTERM (SIGKILL after 10 s); resolves once it has exited
 */

/**
 * The first of `names` found on PATH (or in /usr/bin, /usr/local/bin: where the packages put them).
 * @param {readonly string[]} names
 * @returns {string}
 */
function findBinary(names) {
  const dirs = [...(process.env.PATH ?? '').split(path.delimiter), '/usr/bin', '/usr/local/bin'].filter(Boolean);
  for (const name of names) {
    for (const dir of dirs) {
      const file = path.join(dir, name);
      try {
        fs.accessSync(file, fs.constants.X_OK);
        return file;
      } catch {
        // not here
      }
    }
  }
  throw new Error(`${names.join(' or ')} not found on PATH: run scripts/install-tools.sh`);
}

/**
 * A loopback port: `preferred` if it is free, else one the kernel picks. The binaries we start
 * take a port, not port 0, so the port is released before they bind it; nothing else on this
 * machine races for ephemeral ports in that instant.
 * @param {number} [preferred]
 * @returns {Promise<number>}
 */
function choosePort(preferred = 0) {
  const tryListen = (port) =>
    new Promise((resolve, reject) => {
      const server = net.createServer();
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        const chosen = /** @type {net.AddressInfo} */ (server.address()).port;
        server.close(() => resolve(chosen));
      });
    });
  return tryListen(preferred).catch(() => tryListen(0));
}

function lastLines(file, count = 20) {
  try {
    return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-count).join('\n');
  } catch {
    return '';
  }
}

/**
 * Whether `url` answers 2xx within 2 s.
 * @param {string} url
 * @returns {Promise<boolean>}
 */
async function isReady(url) {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
    await res.arrayBuffer();
    return res.ok;
  } catch {
    return false;
  }
}

/**
 * Starts `command` with its output in `<logDir>/<name>.log` and resolves once `readyUrl` answers
 * 2xx. Rejects, with the log's tail, if the process exits first or is not ready in `timeoutMs`.
 * The handle's `exited` resolves when the process exits; `stop()` sends SIGTERM (SIGKILL after
 * 10 s) and resolves once it has exited.
 * @param {{ name: string, command: string, args: readonly string[], env?: Record<string, string | undefined>, logDir: string, readyUrl: string, timeoutMs?: number }} options
 * @returns {Promise<ServiceHandle>}
 */
async function startProcess({ name, command, args, env = {}, logDir, readyUrl, timeoutMs = 30_000 }) {
  fs.mkdirSync(logDir, { recursive: true });
  const logFile = path.join(logDir, `${name}.log`);
  const log = fs.openSync(logFile, 'a');
  // Its own process group: a Ctrl-C in the terminal reaches only the stack, which then stops the
  // services itself (and does not mistake their exits for crashes).
  const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ['ignore', log, log], detached: true });
  fs.closeSync(log);
  /** @type {ExitInfo | undefined} */
  let exitInfo;
  const exited = new Promise((resolve) => {
    child.once('exit', (code, signal) => {
      exitInfo = { code, signal };
      resolve(exitInfo);
    });
    child.once('error', (error) => {
      exitInfo = { code: null, signal: null, error };
      resolve(exitInfo);
    });
  });
  let stopping;
  const handle = {
    name,
    exited,
    /** Whether stop() was called: an exit before that is unexpected. */
    get stopping() {
      return stopping !== undefined;
    },
    stop() {
      stopping ??= (async () => {
        if (exitInfo !== undefined) return;
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
        await exited;
        clearTimeout(timer);
      })();
      return stopping;
    },
  };

  const deadline = Date.now() + timeoutMs;
  while (!(await isReady(readyUrl))) {
    if (exitInfo !== undefined || Date.now() > deadline) {
      const why =
        exitInfo === undefined
          ? `not ready at ${readyUrl} in ${timeoutMs} ms`
          : (exitInfo.error?.message ?? `exited with ${exitInfo.code ?? exitInfo.signal}`);
      await handle.stop();
      throw new Error(`${name} failed to start: ${why}\n--- ${logFile} ---\n${lastLines(logFile)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return handle;
}

module.exports = { findBinary, choosePort, startProcess, isReady };
