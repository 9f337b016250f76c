import { tokenize, type Token, type TokenKind } from './tokenizeSql';

/**
 * The `operation` and `table` labels of a SQL statement, derived from its text. SQL text and
 * parameter values never become labels: only a verb from a fixed list and a table name do.
 */
export interface SqlSummary {
  /** Lower-case statement verb (`select`, `insert`, ...), or `unknown`. */
  readonly operation: string;
  /** First target table (`customers`, `billing.invoices`), or `unknown`. */
  readonly table: string;
}

/** Label value when the verb or the table cannot be derived. */
const UNKNOWN = 'unknown';

// The verbs PostgreSQL accepts at the start of a statement. Anything else (a typo, a comment-only
// string) becomes `unknown`, so the label set stays bounded whatever text is sent.
const VERBS = new Set([
  'select',
  'insert',
  'update',
  'delete',
  'merge',
  'values',
  'table',
  'copy',
  'truncate',
  'create',
  'alter',
  'drop',
  'comment',
  'grant',
  'revoke',
  'reindex',
  'cluster',
  'refresh',
  'begin',
  'start',
  'commit',
  'end',
  'rollback',
  'abort',
  'savepoint',
  'release',
  'prepare',
  'execute',
  'deallocate',
  'declare',
  'fetch',
  'move',
  'close',
  'set',
  'reset',
  'show',
  'discard',
  'listen',
  'unlisten',
  'notify',
  'lock',
  'vacuum',
  'analyze',
  'explain',
  'call',
  'do',
  'checkpoint',
  'load',
  'import',
  'security',
]);

// Texts longer than this are summarized from their head only: a bulk INSERT of megabytes names
// its table in the first few bytes, and scanning all of it on every query would cost too much.
const SCAN_LIMIT = 16_384;

/** Derives the statement verb and first target table of a SQL text. Never throws. */
export function summarizeSql(text: string): SqlSummary {
  const tokens = tokenize(text.length > SCAN_LIMIT ? text.slice(0, SCAN_LIMIT) : text);
  return new StatementReader(tokens).read(0);
}

const UNKNOWN_SUMMARY: SqlSummary = Object.freeze({ operation: UNKNOWN, table: UNKNOWN });

/** Reads one statement out of a token list. */
class StatementReader {
  /** Tables of the CTEs seen so far, so that `FROM cte_name` resolves to the table the CTE reads. */
  constructor(
    private readonly _tokens: readonly Token[],
    private readonly _cteTables = new Map<string, string>(),
  ) {}

  /** Summarizes the statement starting at token `start`. */
  read(start: number): SqlSummary {
    let i = start;
    // `(SELECT ...) UNION (SELECT ...)`: the verb is inside the first group.
    while (this._kind(i) === 'open') i++;
    if (this._word(i) === 'with') i = this._skipCtes(i + 1);
    const verb = this._word(i);
    if (verb === undefined || !VERBS.has(verb)) return UNKNOWN_SUMMARY;
    return { operation: verb, table: this._tableOf(verb, i + 1, this._tokens[i]!.depth) };
  }

  /** Summarizes a nested statement (subquery, CTE body), which sees the CTEs seen so far. */
  private _readNested(start: number): SqlSummary {
    return new StatementReader(this._tokens, this._cteTables).read(start);
  }

  /** Skips `[RECURSIVE] name [(cols)] AS [NOT] [MATERIALIZED] (body) [, ...]`; returns the index after it. */
  private _skipCtes(start: number): number {
    let i = start;
    if (this._word(i) === 'recursive') i++;
    for (;;) {
      const name = this._identifier(i);
      if (name === undefined) return i;
      i++;
      if (this._kind(i) === 'open') i = this._afterGroup(i);
      if (this._word(i) !== 'as') return i;
      i++;
      if (this._word(i) === 'not') i++;
      if (this._word(i) === 'materialized') i++;
      if (this._kind(i) !== 'open') return i;
      this._cteTables.set(name, this._readNested(i + 1).table);
      i = this._afterGroup(i);
      if (this._kind(i) !== 'comma') return i;
      i++;
    }
  }

  private _tableOf(verb: string, start: number, depth: number): string {
    let i = start;
    switch (verb) {
      case 'select':
        return this._fromTable(i, depth);
      case 'insert':
      case 'merge':
        return this._word(i) === 'into' ? this._tableAt(this._skip(i + 1, 'only')) : UNKNOWN;
      case 'delete':
        return this._word(i) === 'from' ? this._tableAt(this._skip(i + 1, 'only')) : UNKNOWN;
      case 'update':
        return this._tableAt(this._skip(i, 'only'));
      case 'truncate':
      case 'lock':
        return this._tableAt(this._skip(i, 'table', 'only'));
      case 'copy':
        return this._kind(i) === 'open' ? this._readNested(i + 1).table : this._tableAt(i);
      case 'create':
        i = this._skip(i, 'or', 'replace', 'global', 'local', 'temp', 'temporary', 'unlogged', 'materialized');
        if (this._word(i) === 'table' || this._word(i) === 'view') {
          return this._tableAt(this._skip(i + 1, 'if', 'not', 'exists'));
        }
        if (this._word(i) === 'unique') i++;
        if (this._word(i) !== 'index') return UNKNOWN;
        // CREATE INDEX [CONCURRENTLY] [[IF NOT EXISTS] name] ON [ONLY] table
        while (i < this._tokens.length && this._word(i) !== 'on' && this._kind(i) !== 'semicolon') i++;
        return this._word(i) === 'on' ? this._tableAt(this._skip(i + 1, 'only')) : UNKNOWN;
      case 'alter':
      case 'drop':
        i = this._skip(i, 'materialized');
        if (this._word(i) !== 'table' && this._word(i) !== 'view') return UNKNOWN;
        return this._tableAt(this._skip(i + 1, 'if', 'exists', 'only'));
      default:
        return UNKNOWN;
    }
  }

  /** The first table after the statement's own `FROM` (not one inside a subexpression). */
  private _fromTable(start: number, depth: number): string {
    for (let i = start; i < this._tokens.length; i++) {
      const token = this._tokens[i]!;
      if (token.depth < depth || token.kind === 'semicolon') return UNKNOWN;
      if (token.depth !== depth || token.kind !== 'word' || token.value !== 'from') continue;
      const next = this._skip(i + 1, 'only', 'lateral');
      if (this._kind(next) === 'open') return this._readNested(next + 1).table;
      const name = this._qualifiedName(next);
      // `FROM generate_series(...)` reads a function, not a table.
      if (name === undefined || this._kind(name.end) === 'open') return UNKNOWN;
      return this._cteTables.get(name.value) ?? name.value;
    }
    return UNKNOWN;
  }

  /** The possibly schema-qualified name at `start`, or `unknown`. */
  private _tableAt(start: number): string {
    return this._qualifiedName(start)?.value ?? UNKNOWN;
  }

  private _qualifiedName(start: number): { value: string; end: number } | undefined {
    const parts: string[] = [];
    let i = start;
    for (;;) {
      const part = this._identifier(i);
      if (part === undefined) return undefined;
      parts.push(part);
      i++;
      if (this._kind(i) !== 'dot') return { value: parts.join('.'), end: i };
      i++;
    }
  }

  private _skip(start: number, ...words: string[]): number {
    let i = start;
    while (words.includes(this._word(i) ?? '')) i++;
    return i;
  }

  private _afterGroup(open: number): number {
    const depth = this._tokens[open]!.depth;
    let i = open + 1;
    while (i < this._tokens.length && !(this._kind(i) === 'close' && this._tokens[i]!.depth === depth)) i++;
    return i + 1;
  }

  private _kind(i: number): TokenKind | undefined {
    return this._tokens[i]?.kind;
  }

  private _word(i: number): string | undefined {
    const token = this._tokens[i];
    return token?.kind === 'word' ? token.value : undefined;
  }

  private _identifier(i: number): string | undefined {
    const token = this._tokens[i];
    return token?.kind === 'word' || token?.kind === 'quoted' ? token.value : undefined;
  }
}
