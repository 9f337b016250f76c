'use strict';
// Load generator for bench/http.js, run in its own process so that it never shares the server's
// event loop. Like wrk: N keep-alive connections over raw sockets, one request in flight on each,
// the next sent as soon as the previous response is complete. Raw sockets instead of http.Agent
// keep the client's own CPU cost per request far below the server's, so the server is the
// bottleneck being measured.
//
// Usage (from bench/http.js): node http-load.js <port> <connections> <seconds> <path> [<path>...]
// Prints one JSON line: { requests, seconds, errors }.
const net = require('node:net');

const [port, connections, seconds, ...paths] = process.argv.slice(2);
const requests = paths.map((path) => Buffer.from(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`, 'latin1'));
const deadline = Date.now() + Number(seconds) * 1000;
let completed = 0;
let errors = 0;
let open = Number(connections);

function connect(offset) {
  const socket = net.connect(Number(port), '127.0.0.1');
  socket.setNoDelay(true);
  let next = offset;
  let pending = '';
  const send = () => {
    socket.write(requests[next % requests.length]);
    next++;
  };
  socket.on('connect', send);
  socket.on('data', (chunk) => {
    pending += chunk.toString('latin1');
    // One response is complete once its headers and `content-length` bytes of body arrived.
    const headerEnd = pending.indexOf('\r\n\r\n');
    if (headerEnd < 0) return;
    const match = /content-length: *(\d+)/i.exec(pending.slice(0, headerEnd));
    const total = headerEnd + 4 + (match ? Number(match[1]) : 0);
    if (pending.length < total) return;
    if (!pending.startsWith('HTTP/1.1 2')) errors++;
    pending = pending.slice(total);
    completed++;
    if (Date.now() < deadline) send();
    else socket.end();
  });
  socket.on('error', () => errors++);
  socket.on('close', () => {
    if (--open === 0) finish();
  });
}

const started = Date.now();
function finish() {
  process.stdout.write(`${JSON.stringify({ requests: completed, seconds: (Date.now() - started) / 1000, errors })}\n`);
}

for (let i = 0; i < open; i++) connect(i);
