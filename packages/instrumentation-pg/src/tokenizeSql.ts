/**
 * A SQL tokenizer just fine enough to find a statement's verb and tables: words, quoted
 * identifiers and the punctuation that structures a statement. Comments, strings (plain, `E''`,
 * dollar-quoted), parameters and numbers are skipped or kept opaque, so nothing inside them
 * is ever read as SQL. Unterminated constructs end the text; nothing throws.
 */

export type TokenKind = 'word' | 'quoted' | 'open' | 'close' | 'comma' | 'dot' | 'semicolon' | 'other';

export interface Token {
  readonly kind: TokenKind;
  /** Identifier as PostgreSQL resolves it: unquoted words folded to lower case, quoted kept. */
  readonly value: string;
  /** Parenthesis depth the token stands at (an `open` token counts as outside its group). */
  readonly depth: number;
}

const WORD_START = /[A-Za-z_\u0080-\uffff]/;
const WORD_PART = /[A-Za-z0-9_$\u0080-\uffff]/;
const PUNCTUATION: Readonly<Record<string, TokenKind>> = {
  '(': 'open',
  ')': 'close',
  ',': 'comma',
  '.': 'dot',
  ';': 'semicolon',
};

/** Splits SQL into words, quoted identifiers and punctuation; drops comments, strings and numbers. */
export function tokenize(sql: string): Token[] {
  const tokens: Token[] = [];
  let depth = 0;
  let i = 0;
  const push = (kind: TokenKind, value: string): void => {
    if (kind === 'close') depth = Math.max(0, depth - 1);
    tokens.push({ kind, value, depth });
    if (kind === 'open') depth++;
  };
  while (i < sql.length) {
    const c = sql[i]!;
    if (/\s/.test(c)) {
      i++;
    } else if (c === '-' && sql[i + 1] === '-') {
      const end = sql.indexOf('\n', i);
      i = end === -1 ? sql.length : end + 1;
    } else if (c === '/' && sql[i + 1] === '*') {
      i = skipBlockComment(sql, i);
    } else if (c === "'") {
      i = skipString(sql, i, /* backslashEscapes */ false);
    } else if (c === '"') {
      const [value, end] = readQuotedIdentifier(sql, i);
      push('quoted', value);
      i = end;
    } else if (c === '$') {
      i = skipDollar(sql, i);
    } else if (WORD_START.test(c)) {
      let end = i + 1;
      while (end < sql.length && WORD_PART.test(sql[end]!)) end++;
      const word = sql.slice(i, end).toLowerCase();
      // E'...' is a string with backslash escapes, not the word `e`.
      if (word === 'e' && sql[end] === "'") i = skipString(sql, end, true);
      else {
        push('word', word);
        i = end;
      }
    } else if (c in PUNCTUATION) {
      push(PUNCTUATION[c]!, c);
      i++;
    } else {
      // Numbers and operators: kept as one token each, so that `FROM 1` does not read as a table.
      let end = i + 1;
      while (end < sql.length && /[0-9.]/.test(c) && /[0-9.]/.test(sql[end]!)) end++;
      push('other', sql.slice(i, end));
      i = end;
    }
  }
  return tokens;
}

/** Block comments nest in PostgreSQL. */
function skipBlockComment(sql: string, start: number): number {
  let nesting = 0;
  let i = start;
  while (i < sql.length) {
    if (sql[i] === '/' && sql[i + 1] === '*') {
      nesting++;
      i += 2;
    } else if (sql[i] === '*' && sql[i + 1] === '/') {
      nesting--;
      i += 2;
      if (nesting === 0) return i;
    } else i++;
  }
  return i;
}

function skipString(sql: string, quote: number, backslashEscapes: boolean): number {
  let i = quote + 1;
  while (i < sql.length) {
    const c = sql[i]!;
    if (backslashEscapes && c === '\\') i += 2;
    else if (c === "'" && sql[i + 1] === "'") i += 2;
    else if (c === "'") return i + 1;
    else i++;
  }
  return i;
}

function readQuotedIdentifier(sql: string, quote: number): [string, number] {
  let value = '';
  let i = quote + 1;
  while (i < sql.length) {
    if (sql[i] === '"' && sql[i + 1] === '"') {
      value += '"';
      i += 2;
    } else if (sql[i] === '"') return [value, i + 1];
    else value += sql[i++];
  }
  return [value, i];
}

/** `$1` is a parameter; `$tag$ ... $tag$` is a dollar-quoted string. */
function skipDollar(sql: string, start: number): number {
  const tag = /^\$(?:[A-Za-z_\u0080-\uffff][A-Za-z0-9_\u0080-\uffff]*)?\$/.exec(sql.slice(start, start + 64));
  if (tag === null) {
    let i = start + 1;
    while (i < sql.length && /[0-9]/.test(sql[i]!)) i++;
    return i;
  }
  const end = sql.indexOf(tag[0], start + tag[0].length);
  return end === -1 ? sql.length : end + tag[0].length;
}
