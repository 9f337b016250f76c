'use strict';
// A local stand-in for the services Alertmanager notifies (PagerDuty, Slack, webhooks, an SMTP
// relay). It records what arrives, so that `npm run stack` can print it and tests can assert on it.
// Alertmanager reaches it through renderAlertmanagerConfig's `sink` option: HTTP notifications
// arrive at /<receiver>/<integration>, e-mail over SMTP with the receiver as the EHLO host.
const http = require('node:http');
const net = require('node:net');
const { EventEmitter } = require('node:events');

/**
 * One notification received by the sink.
 * @typedef {object} Notification
 * @property {string} receiver Alertmanager receiver name
 * @property {'webhook' | 'pagerduty' | 'slack' | 'email' | string} integration
 * @property {Record<string, string | string[] | undefined>} headers HTTP request headers, or the e-mail's headers (lower-case names)
 * @property {any} body the parsed JSON body; for e-mail `{ from, to, data }`
 * @property {string} title one line for humans: status and alert names
 */

/**
 * The running sink.
 * @typedef {object} NotificationSink
 * @property {string} url
 * @property {string} smtp `host:port` of the SMTP side
 * @property {readonly Notification[]} notifications
 * @property {(event: 'notification', listener: (notification: Notification) => void) => void} on
 * @property {(predicate: (notification: Notification) => boolean, timeoutMs: number) => Promise<Notification>} waitFor
 * @property {() => Promise<void>} close
 */

/** One line for humans: status and alert names, as each integration's payload carries them. */
function titleOf(integration, body, headers) {
  switch (integration) {
    case 'webhook':
      return `[${String(body.status).toUpperCase()}] ${[...new Set(body.alerts.map((a) => a.labels.alertname))].join(', ')}`;
    case 'pagerduty':
      return `${body.event_action}: ${body.payload?.summary ?? ''}`;
    case 'slack':
      return body.attachments?.[0]?.title ?? '';
    case 'email':
      return headers.subject ?? '';
    default:
      return '';
  }
}

/** Headers of an e-mail message (lower-cased names; folded lines joined). */
function parseEmailHeaders(lines) {
  const headers = {};
  let last;
  for (const line of lines) {
    if (line === '') break;
    if (/^\s/.test(line) && last !== undefined) headers[last] += ` ${line.trim()}`;
    else {
      const colon = line.indexOf(':');
      last = line.slice(0, colon).toLowerCase();
      headers[last] = line.slice(colon + 1).trim();
    }
  }
  return headers;
}

function listen(server) {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server.address().port));
  });
}

/** A minimal SMTP server: accepts every message (no TLS, no AUTH) and hands it to `record`. */
function createSmtpServer(record) {
  return net.createServer((socket) => {
    socket.setEncoding('utf8');
    let buffer = '';
    let hello = '';
    let from = '';
    let to = [];
    let data;
    const reply = (line) => socket.write(`${line}\r\n`);
    reply('220 notification-sink ESMTP');
    socket.on('error', () => socket.destroy());
    socket.on('data', (chunk) => {
      buffer += chunk;
      for (let end = buffer.indexOf('\r\n'); end >= 0; end = buffer.indexOf('\r\n')) {
        const line = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (data !== undefined) {
          if (line !== '.') {
            data.push(line.startsWith('..') ? line.slice(1) : line);
            continue;
          }
          const headers = parseEmailHeaders(data);
          record({ receiver: hello, integration: 'email', headers, body: { from, to, data: data.join('\n') } });
          data = undefined;
          to = [];
          reply('250 OK');
          continue;
        }
        const verb = line.slice(0, 4).toUpperCase();
        if (verb === 'EHLO' || verb === 'HELO') {
          hello = line.slice(5).trim();
          reply('250 notification-sink');
        } else if (verb === 'MAIL') {
          from = line.replace(/^MAIL FROM:\s*<?([^>\s]*)>?.*$/i, '$1');
          reply('250 OK');
        } else if (verb === 'RCPT') {
          to.push(line.replace(/^RCPT TO:\s*<?([^>\s]*)>?.*$/i, '$1'));
          reply('250 OK');
        } else if (verb === 'DATA') {
          data = [];
          reply('354 End data with <CR><LF>.<CR><LF>');
        } else if (verb === 'QUIT') {
          reply('221 Bye');
          socket.end();
        } else {
          reply('250 OK');
        }
      }
    });
  });
}

/**
 * Starts the sink on loopback. Returns `{ url, smtp, notifications, on('notification', fn),
 * waitFor(predicate, timeoutMs), close() }`; `url` and `smtp` go to renderAlertmanagerConfig.
 * @returns {Promise<NotificationSink>}
 */
async function startNotificationSink() {
  const events = new EventEmitter();
  /** @type {Notification[]} */
  const notifications = [];
  const record = (notification) => {
    const full = { ...notification, title: titleOf(notification.integration, notification.body, notification.headers) };
    notifications.push(full);
    events.emit('notification', full);
  };

  const httpServer = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => {
      const [, receiver = '', integration = ''] = new URL(req.url ?? '/', 'http://sink').pathname.split('/');
      const text = Buffer.concat(chunks).toString('utf8');
      let body;
      try {
        body = JSON.parse(text);
      } catch {
        body = text;
      }
      record({ receiver, integration, headers: req.headers, body });
      // PagerDuty's Events API v2 answers 202 with a JSON status; Slack answers "ok".
      if (integration === 'pagerduty') {
        res
          .writeHead(202, { 'content-type': 'application/json' })
          .end('{"status":"success","message":"Event processed"}');
      } else {
        res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
      }
    });
  });
  const smtpServer = createSmtpServer(record);
  const smtpSockets = new Set();
  smtpServer.on('connection', (socket) => {
    smtpSockets.add(socket);
    socket.on('close', () => smtpSockets.delete(socket));
  });
  const httpPort = await listen(httpServer);
  const smtpPort = await listen(smtpServer);

  return {
    url: `http://127.0.0.1:${httpPort}`,
    smtp: `127.0.0.1:${smtpPort}`,
    notifications,
    on: (event, listener) => events.on(event, listener),
    /** Resolves with the first notification (already received or to come) matching `predicate`. */
    waitFor(predicate, timeoutMs) {
      const found = notifications.find(predicate);
      if (found !== undefined) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const onNotification = (notification) => {
          if (!predicate(notification)) return;
          clearTimeout(timer);
          events.off('notification', onNotification);
          resolve(notification);
        };
        const timer = setTimeout(() => {
          events.off('notification', onNotification);
          const seen = notifications.map((n) => `${n.receiver}/${n.integration}: ${n.title}`);
          reject(
            new Error(`no matching notification within ${timeoutMs} ms; received:\n${seen.join('\n') || '(none)'}`),
          );
        }, timeoutMs);
        events.on('notification', onNotification);
      });
    },
    close() {
      httpServer.closeAllConnections();
      for (const socket of smtpSockets) socket.destroy();
      return Promise.all([
        new Promise((resolve) => httpServer.close(resolve)),
        new Promise((resolve) => smtpServer.close(resolve)),
      ]).then(() => undefined);
    },
  };
}

module.exports = { startNotificationSink };
