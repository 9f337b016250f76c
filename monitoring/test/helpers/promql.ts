/**
 * Just enough PromQL scanning to list what an expression reads: the metric selectors (with the
 * label names their matchers use) and the labels of its grouping clauses. Syntax is promtool's
 * job (see promtool.ts); this only has to find names in expressions promtool accepts.
 */

/** A metric selector: `name{label="..."}` gives `{ metric: 'name', labels: ['label'] }`. */
interface Selector {
  readonly metric: string;
  readonly labels: readonly string[];
}

export interface ExpressionNames {
  readonly selectors: readonly Selector[];
  /** Labels named in by / without / on / ignoring / group_left / group_right clauses. */
  readonly groupingLabels: readonly string[];
}

const GROUPING_KEYWORDS = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right']);
const KEYWORDS = new Set(['and', 'or', 'unless', 'offset', 'bool', 'inf', 'nan', 'group_left', 'group_right']);
const IDENTIFIER_START = /[A-Za-z_:]/;
const IDENTIFIER_PART = /[A-Za-z0-9_:]/;
const MATCHER = /([A-Za-z_][A-Za-z0-9_]*)\s*(?:=~|!~|!=|=)\s*(?:"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`)/g;

/** Index just past the string literal starting at `start`. */
function skipString(expr: string, start: number): number {
  const quote = expr[start];
  let i = start + 1;
  while (i < expr.length && expr[i] !== quote) i += expr[i] === '\\' && quote !== '`' ? 2 : 1;
  return i + 1;
}

/** Index of the closing `close` of the bracket opened at `start`, skipping string literals. */
function findClose(expr: string, start: number, close: string): number {
  let i = start + 1;
  while (i < expr.length && expr[i] !== close) {
    i = expr[i] === '"' || expr[i] === "'" || expr[i] === '`' ? skipString(expr, i) : i + 1;
  }
  return i;
}

function skipSpaces(expr: string, start: number): number {
  let i = start;
  while (i < expr.length && /\s/.test(expr[i]!)) i++;
  return i;
}

function labelList(text: string): string[] {
  return text
    .split(',')
    .map((label) => label.trim())
    .filter((label) => label !== '');
}

/** The metric selectors and grouping labels of a PromQL expression. */
export function expressionNames(expr: string): ExpressionNames {
  const selectors: Selector[] = [];
  const groupingLabels: string[] = [];
  let i = 0;
  while (i < expr.length) {
    const c = expr[i]!;
    if (c === '"' || c === "'" || c === '`') {
      i = skipString(expr, i);
    } else if (c === '[') {
      i = findClose(expr, i, ']') + 1; // range, subquery step
    } else if (c === '{') {
      // A selector without a metric name: `{job="x"}`.
      const end = findClose(expr, i, '}');
      selectors.push({ metric: '', labels: [...expr.slice(i + 1, end).matchAll(MATCHER)].map((m) => m[1]!) });
      i = end + 1;
    } else if (/[0-9.]/.test(c)) {
      while (i < expr.length && /[A-Za-z0-9_.]/.test(expr[i]!)) i++; // number or duration
    } else if (IDENTIFIER_START.test(c)) {
      let end = i;
      while (end < expr.length && IDENTIFIER_PART.test(expr[end]!)) end++;
      const word = expr.slice(i, end);
      const next = skipSpaces(expr, end);
      if (GROUPING_KEYWORDS.has(word) && expr[next] === '(') {
        const close = findClose(expr, next, ')');
        groupingLabels.push(...labelList(expr.slice(next + 1, close)));
        i = close + 1;
      } else if (
        expr[next] === '(' ||
        /^(by|without)\s*\(/.test(expr.slice(next)) ||
        KEYWORDS.has(word.toLowerCase())
      ) {
        i = end; // function call, aggregation (`sum by (job) (...)`) or keyword
      } else if (expr[next] === '{') {
        const close = findClose(expr, next, '}');
        selectors.push({ metric: word, labels: [...expr.slice(next + 1, close).matchAll(MATCHER)].map((m) => m[1]!) });
        i = close + 1;
      } else {
        selectors.push({ metric: word, labels: [] });
        i = end;
      }
    } else {
      i++;
    }
  }
  return { selectors, groupingLabels };
}

/** The distinct metric names an expression reads. */
export function metricNames(expr: string): string[] {
  return [
    ...new Set(
      expressionNames(expr)
        .selectors.map((s) => s.metric)
        .filter((name) => name !== ''),
    ),
  ];
}
