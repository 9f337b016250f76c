import { spansWanted } from '@agent-telemetry/core/instrumentation-support';
import { safeExecuteInTheMiddle } from '@opentelemetry/instrumentation';
import type { CommandSeries, CommandStatus } from './CommandSeries';
import { isHandshakeCommand } from './handshakeCommands';
import { SENT, type CommandLike, type RedisLike, type RedisMetricsHost, type SendCommand } from './internal-types';
import { logger } from './logger';

/**
 * The metric layer of ioredis' `Redis#sendCommand`, around the upstream instrumentation's traced
 * method (spans), or ioredis' own when no span can come of it (see `spansWanted`). Every command
 * passes here once per send, pipelined and MULTI commands included, with or without a parent span.
 *
 * ioredis sends a command a second time when it was queued while the client was offline, or
 * was in flight when the connection dropped (`autoResendUnfulfilledCommands`). The first send
 * counts it; a second send goes straight to ioredis, so that neither the metrics nor the upstream
 * spans count it twice.
 */
export function sendCommandWithMetrics(
  original: SendCommand,
  traced: SendCommand,
  host: RedisMetricsHost,
): SendCommand {
  return function sendCommand(this: RedisLike, ...args: [unknown, ...unknown[]]): unknown {
    const command = args[0] as CommandLike | null;
    const series = host.series;
    if (series === undefined || typeof command !== 'object' || command === null) return traced.apply(this, args);
    if (command[SENT] === true) return original.apply(this, args);
    command[SENT] = true;
    const record = safeExecuteInTheMiddle(() => observe(this, command, series, host), onOwnError, true);
    try {
      return (spansWanted() ? traced : original).apply(this, args);
    } catch (err) {
      record?.('error');
      throw err;
    }
  };
}

/** Records a command once; later calls are ignored. */
type Recorder = (status: CommandStatus) => void;

/**
 * Records the command when ioredis settles it, by wrapping its `resolve` and `reject` before the
 * send (a command can be rejected during the send, e.g. on a closed connection). The caller's
 * promise or callback receives the value or error object ioredis passes, unchanged.
 */
function observe(
  client: RedisLike,
  command: CommandLike,
  series: CommandSeries,
  host: RedisMetricsHost,
): Recorder | undefined {
  const recorder = series.recorderFor(String(command.name));
  if (!host.includeHandshakeCommands && isHandshakeCommand(recorder.operation, client.status)) return undefined;
  const start = performance.now();
  let recorded = false;
  const record: Recorder = (status) => {
    if (recorded) return;
    recorded = true;
    safeExecuteInTheMiddle(() => recorder.record(status, (performance.now() - start) / 1000), onOwnError, true);
  };
  const { resolve, reject } = command;
  command.resolve = function (this: unknown, ...values: [unknown]) {
    record('success');
    return resolve.apply(this, values);
  };
  command.reject = function (this: unknown, ...errors: [unknown]) {
    record('error');
    return reject.apply(this, errors);
  };
  return record;
}

function onOwnError(error: Error | undefined): void {
  if (error !== undefined) logger.reportOnce('command', 'failed to record a Redis command', error);
}
