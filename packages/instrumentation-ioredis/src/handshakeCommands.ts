// What ioredis sends on its own between the socket's `connect` and `ready`: AUTH (or HELLO),
// SELECT of the configured db, CLIENT SETNAME / SETINFO, and INFO for the ready check.
const HANDSHAKE_COMMANDS = new Set(['auth', 'hello', 'select', 'client', 'info', 'readonly']);

/**
 * Whether a command is part of the connection handshake: one of those commands, sent while the
 * client is in its `connect` state. Other commands sent in that state are the service's: they
 * wait in the offline queue until `ready`, and are counted.
 */
export function isHandshakeCommand(name: string, status: string): boolean {
  return status === 'connect' && HANDSHAKE_COMMANDS.has(name);
}
