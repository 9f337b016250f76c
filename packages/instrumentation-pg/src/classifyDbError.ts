/**
 * The `error_type` label of `db_errors_total`: the SQLSTATE condition name for errors the server
 * reports, a connection failure class for errors of the socket or the client, `other` otherwise.
 * Every value comes from the tables below, so the label set is bounded.
 */

/** Condition names of the SQLSTATE codes (PostgreSQL manual, appendix A "Error Codes"). */
const SQLSTATE_NAMES: Readonly<Record<string, string>> = {
  '02000': 'no_data',
  '08000': 'connection_exception',
  '08001': 'sqlclient_unable_to_establish_sqlconnection',
  '08003': 'connection_does_not_exist',
  '08004': 'sqlserver_rejected_establishment_of_sqlconnection',
  '08006': 'connection_failure',
  '08007': 'transaction_resolution_unknown',
  '08P01': 'protocol_violation',
  '0A000': 'feature_not_supported',
  '21000': 'cardinality_violation',
  '22000': 'data_exception',
  '22001': 'string_data_right_truncation',
  '22003': 'numeric_value_out_of_range',
  '22004': 'null_value_not_allowed',
  '22007': 'invalid_datetime_format',
  '22008': 'datetime_field_overflow',
  '22012': 'division_by_zero',
  '22021': 'character_not_in_repertoire',
  '22023': 'invalid_parameter_value',
  '22025': 'invalid_escape_sequence',
  '2202E': 'array_subscript_error',
  '22P02': 'invalid_text_representation',
  '22P05': 'untranslatable_character',
  '23000': 'integrity_constraint_violation',
  '23001': 'restrict_violation',
  '23502': 'not_null_violation',
  '23503': 'foreign_key_violation',
  '23505': 'unique_violation',
  '23514': 'check_violation',
  '23P01': 'exclusion_violation',
  '24000': 'invalid_cursor_state',
  '25000': 'invalid_transaction_state',
  '25001': 'active_sql_transaction',
  '25006': 'read_only_sql_transaction',
  '25P01': 'no_active_sql_transaction',
  '25P02': 'in_failed_sql_transaction',
  '25P03': 'idle_in_transaction_session_timeout',
  '26000': 'invalid_sql_statement_name',
  '28000': 'invalid_authorization_specification',
  '28P01': 'invalid_password',
  '2BP01': 'dependent_objects_still_exist',
  '34000': 'invalid_cursor_name',
  '3D000': 'invalid_catalog_name',
  '3F000': 'invalid_schema_name',
  '40000': 'transaction_rollback',
  '40001': 'serialization_failure',
  '40002': 'transaction_integrity_constraint_violation',
  '40003': 'statement_completion_unknown',
  '40P01': 'deadlock_detected',
  '42000': 'syntax_error_or_access_rule_violation',
  '42501': 'insufficient_privilege',
  '42601': 'syntax_error',
  '42602': 'invalid_name',
  '42611': 'invalid_column_definition',
  '42622': 'name_too_long',
  '42701': 'duplicate_column',
  '42702': 'ambiguous_column',
  '42703': 'undefined_column',
  '42704': 'undefined_object',
  '42710': 'duplicate_object',
  '42712': 'duplicate_alias',
  '42723': 'duplicate_function',
  '42725': 'ambiguous_function',
  '42803': 'grouping_error',
  '42804': 'datatype_mismatch',
  '42809': 'wrong_object_type',
  '42830': 'invalid_foreign_key',
  '42846': 'cannot_coerce',
  '42883': 'undefined_function',
  '428C9': 'generated_always',
  '42939': 'reserved_name',
  '42P01': 'undefined_table',
  '42P02': 'undefined_parameter',
  '42P03': 'duplicate_cursor',
  '42P04': 'duplicate_database',
  '42P05': 'duplicate_prepared_statement',
  '42P06': 'duplicate_schema',
  '42P07': 'duplicate_table',
  '42P08': 'ambiguous_parameter',
  '42P09': 'ambiguous_alias',
  '42P10': 'invalid_column_reference',
  '42P16': 'invalid_table_definition',
  '42P18': 'indeterminate_datatype',
  '42P19': 'invalid_recursion',
  '42P20': 'windowing_error',
  '44000': 'with_check_option_violation',
  '53000': 'insufficient_resources',
  '53100': 'disk_full',
  '53200': 'out_of_memory',
  '53300': 'too_many_connections',
  '53400': 'configuration_limit_exceeded',
  '54000': 'program_limit_exceeded',
  '54001': 'statement_too_complex',
  '54011': 'too_many_columns',
  '54023': 'too_many_arguments',
  '55000': 'object_not_in_prerequisite_state',
  '55006': 'object_in_use',
  '55P03': 'lock_not_available',
  '57000': 'operator_intervention',
  '57014': 'query_canceled',
  '57P01': 'admin_shutdown',
  '57P02': 'crash_shutdown',
  '57P03': 'cannot_connect_now',
  '57P04': 'database_dropped',
  '57P05': 'idle_session_timeout',
  '58000': 'system_error',
  '58030': 'io_error',
  '72000': 'snapshot_too_old',
  P0001: 'raise_exception',
  P0002: 'no_data_found',
  P0003: 'too_many_rows',
  P0004: 'assert_failure',
  XX000: 'internal_error',
  XX001: 'data_corrupted',
  XX002: 'index_corrupted',
};

/** Names of the SQLSTATE classes (first two characters), for codes missing above. */
const SQLSTATE_CLASSES: Readonly<Record<string, string>> = {
  '03': 'sql_statement_not_yet_complete',
  '08': 'connection_exception',
  '09': 'triggered_action_exception',
  '0A': 'feature_not_supported',
  '0B': 'invalid_transaction_initiation',
  '0F': 'locator_exception',
  '0L': 'invalid_grantor',
  '0P': 'invalid_role_specification',
  '0Z': 'diagnostics_exception',
  '20': 'case_not_found',
  '21': 'cardinality_violation',
  '22': 'data_exception',
  '23': 'integrity_constraint_violation',
  '24': 'invalid_cursor_state',
  '25': 'invalid_transaction_state',
  '26': 'invalid_sql_statement_name',
  '27': 'triggered_data_change_violation',
  '28': 'invalid_authorization_specification',
  '2B': 'dependent_privilege_descriptors_still_exist',
  '2D': 'invalid_transaction_termination',
  '2F': 'sql_routine_exception',
  '34': 'invalid_cursor_name',
  '38': 'external_routine_exception',
  '39': 'external_routine_invocation_exception',
  '3B': 'savepoint_exception',
  '3D': 'invalid_catalog_name',
  '3F': 'invalid_schema_name',
  '40': 'transaction_rollback',
  '42': 'syntax_error_or_access_rule_violation',
  '44': 'with_check_option_violation',
  '53': 'insufficient_resources',
  '54': 'program_limit_exceeded',
  '55': 'object_not_in_prerequisite_state',
  '57': 'operator_intervention',
  '58': 'system_error',
  '72': 'snapshot_too_old',
  F0: 'config_file_error',
  HV: 'fdw_error',
  P0: 'plpgsql_error',
  XX: 'internal_error',
};

/** Socket errors (Node `code`s) of a connection that failed or broke. */
const SOCKET_ERRORS: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection_refused',
  ETIMEDOUT: 'timeout',
  ENOTFOUND: 'host_not_found',
  EAI_AGAIN: 'host_not_found',
  EHOSTUNREACH: 'host_unreachable',
  ENETUNREACH: 'host_unreachable',
  ECONNRESET: 'connection_reset',
  EPIPE: 'connection_reset',
};

// Errors pg and pg-pool raise themselves carry no code, only these messages.
const CLIENT_ERRORS: ReadonlyArray<readonly [RegExp, string]> = [
  // 'timeout exceeded when trying to connect' (pool), 'Connection terminated due to connection
  // timeout' (pool), 'timeout expired' (client connect), 'Query read timeout' (query_timeout).
  [/timeout/i, 'timeout'],
  [/Connection terminated/i, 'connection_terminated'],
  // 'Client was closed and is not queryable', 'Cannot use a pool after calling end on the pool'.
  [/not queryable|after calling end/i, 'connection_closed'],
];

const SQLSTATE = /^[0-9A-Z]{5}$/;

/** Classifies a database error into a bounded `error_type` label value. Never throws. */
export function classifyDbError(error: unknown): string {
  if (typeof error !== 'object' || error === null) return 'other';
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (typeof code === 'string') {
    const socketError = SOCKET_ERRORS[code];
    if (socketError !== undefined) return socketError;
    if (SQLSTATE.test(code)) return SQLSTATE_NAMES[code] ?? SQLSTATE_CLASSES[code.slice(0, 2)] ?? 'other';
  }
  // `localhost` resolving to ::1 and 127.0.0.1 fails with an AggregateError of both attempts.
  if (error instanceof AggregateError && error.errors.length > 0) return classifyDbError(error.errors[0]);
  if (typeof message === 'string') {
    for (const [pattern, type] of CLIENT_ERRORS) if (pattern.test(message)) return type;
  }
  return 'other';
}
