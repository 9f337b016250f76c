import { classifyDbError } from '../src/classifyDbError';

function withCode(code: string, message = 'x'): Error {
  return Object.assign(new Error(message), { code });
}

const CASES: ReadonlyArray<readonly [string, string, unknown]> = [
  // SQLSTATE codes as pg's DatabaseError carries them
  ['unique', 'unique_violation', withCode('23505')],
  ['foreign key', 'foreign_key_violation', withCode('23503')],
  ['not null', 'not_null_violation', withCode('23502')],
  ['check', 'check_violation', withCode('23514')],
  ['undefined table', 'undefined_table', withCode('42P01')],
  ['undefined column', 'undefined_column', withCode('42703')],
  ['syntax', 'syntax_error', withCode('42601')],
  ['division by zero', 'division_by_zero', withCode('22012')],
  ['bad input', 'invalid_text_representation', withCode('22P02')],
  ['serialization', 'serialization_failure', withCode('40001')],
  ['deadlock', 'deadlock_detected', withCode('40P01')],
  ['statement timeout', 'query_canceled', withCode('57014')],
  ['too many connections', 'too_many_connections', withCode('53300')],
  ['password', 'invalid_password', withCode('28P01')],
  ['no database', 'invalid_catalog_name', withCode('3D000')],
  ['plpgsql raise', 'raise_exception', withCode('P0001')],
  ['internal', 'internal_error', withCode('XX000')],
  // A code missing from the table falls back to its class
  ['class 22 fallback', 'data_exception', withCode('22019')],
  ['class 42 fallback', 'syntax_error_or_access_rule_violation', withCode('42P17')],
  ['class 08 fallback', 'connection_exception', withCode('08P99')],
  ['unknown class', 'other', withCode('ZZ999')],
  // Socket failures
  ['refused', 'connection_refused', withCode('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:1')],
  ['socket timeout', 'timeout', withCode('ETIMEDOUT')],
  ['dns', 'host_not_found', withCode('ENOTFOUND')],
  ['reset', 'connection_reset', withCode('ECONNRESET')],
  ['pipe (5 letters, not a SQLSTATE)', 'connection_reset', withCode('EPIPE')],
  ['unreachable', 'host_unreachable', withCode('EHOSTUNREACH')],
  ['happy eyeballs', 'connection_refused', new AggregateError([withCode('ECONNREFUSED'), withCode('ECONNREFUSED')])],
  // pg and pg-pool's own errors
  ['pool wait timeout', 'timeout', new Error('timeout exceeded when trying to connect')],
  ['pool connect timeout', 'timeout', new Error('Connection terminated due to connection timeout')],
  ['client connect timeout', 'timeout', new Error('timeout expired')],
  ['query_timeout', 'timeout', new Error('Query read timeout')],
  ['dropped connection', 'connection_terminated', new Error('Connection terminated unexpectedly')],
  ['closed client', 'connection_closed', new Error('Client was closed and is not queryable')],
  ['ended pool', 'connection_closed', new Error('Cannot use a pool after calling end on the pool')],
  // Anything else
  ['plain error', 'other', new Error('boom')],
  ['thrown string', 'other', 'boom'],
  ['null', 'other', null],
  ['numeric code', 'other', Object.assign(new Error('x'), { code: 23505 })],
];

test.each(CASES)('%s → %s', (_name, expected, error) => {
  expect(classifyDbError(error)).toBe(expected);
});
