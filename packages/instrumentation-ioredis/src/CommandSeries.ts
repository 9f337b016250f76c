import type { BoundCounter, BoundHistogram } from '@agent-telemetry/core';
import type { RedisMetrics } from './internal-types';

/** The `status` label of `redis_operations_total`. */
export type CommandStatus = 'success' | 'error';

/** Records the commands of one name. */
export interface CommandRecorder {
  /** The `operation` label: the command name, lower-cased. */
  readonly operation: string;
  record(status: CommandStatus, seconds: number): void;
}

// Redis has about 240 commands, of which a service sends a few dozen. Names past this many
// (module commands, odd names sent through `call()`) are recorded unbound, so the cache stays
// bounded whatever the service sends; the catalogue's cardinality limits apply either way.
const MAX_CACHED_NAMES = 256;

/**
 * A recorder per command name, as ioredis names the command, made at its first send and kept: a
 * command then costs one `Map.get` and two cell updates, with no label object built.
 */
export class CommandSeries {
  private readonly _byName = new Map<string, CommandRecorder>();

  constructor(private readonly _metrics: RedisMetrics) {}

  /** The number of command names cached. */
  get size(): number {
    return this._byName.size;
  }

  recorderFor(name: string): CommandRecorder {
    let recorder = this._byName.get(name);
    if (recorder === undefined) {
      if (this._byName.size >= MAX_CACHED_NAMES) return new UnboundRecorder(this._metrics, name.toLowerCase());
      recorder = new BoundRecorder(this._metrics, name.toLowerCase());
      this._byName.set(name, recorder);
    }
    return recorder;
  }
}

/**
 * Binds each series at its first recording, not before: binding creates the series, and a status
 * never recorded must not show as a zero sample.
 */
class BoundRecorder implements CommandRecorder {
  private _success: BoundCounter | undefined;
  private _error: BoundCounter | undefined;
  private _duration: BoundHistogram | undefined;

  constructor(
    private readonly _metrics: RedisMetrics,
    readonly operation: string,
  ) {}

  record(status: CommandStatus, seconds: number): void {
    const operation = this.operation;
    const operations = this._metrics.redis_operations_total;
    const counter =
      status === 'success'
        ? (this._success ??= operations.labels({ operation, status }))
        : (this._error ??= operations.labels({ operation, status }));
    counter.inc();
    (this._duration ??= this._metrics.redis_operation_duration_seconds.labels({ operation })).observe(seconds);
  }
}

class UnboundRecorder implements CommandRecorder {
  constructor(
    private readonly _metrics: RedisMetrics,
    readonly operation: string,
  ) {}

  record(status: CommandStatus, seconds: number): void {
    this._metrics.redis_operations_total.inc({ operation: this.operation, status });
    this._metrics.redis_operation_duration_seconds.observe({ operation: this.operation }, seconds);
  }
}
