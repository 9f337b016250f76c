import { summarizeSql } from '../src/summarizeSql';

// Real statements, as services send them: [sql, operation, table].
const STATEMENTS: ReadonlyArray<readonly [string, string, string]> = [
  // Plain DML
  ['SELECT * FROM customers WHERE id = $1', 'select', 'customers'],
  ['select id, name from customers', 'select', 'customers'],
  ['  \n\tSELECT 1', 'select', 'unknown'],
  ['SELECT now()', 'select', 'unknown'],
  ['INSERT INTO orders (customer_id, total) VALUES ($1, $2) RETURNING id', 'insert', 'orders'],
  ['INSERT INTO orders(customer_id) SELECT id FROM customers', 'insert', 'orders'],
  ["UPDATE customers SET name = 'x' WHERE id = 1", 'update', 'customers'],
  ['UPDATE ONLY customers SET tier = $1', 'update', 'customers'],
  ['DELETE FROM sessions WHERE expires_at < now()', 'delete', 'sessions'],
  ['DELETE FROM ONLY sessions', 'delete', 'sessions'],
  [
    'MERGE INTO stock s USING deliveries d ON s.item = d.item WHEN MATCHED THEN UPDATE SET qty = s.qty + d.qty',
    'merge',
    'stock',
  ],
  // Schema-qualified and quoted identifiers
  ['SELECT * FROM billing.invoices', 'select', 'billing.invoices'],
  ['SELECT * FROM "Customers"', 'select', 'Customers'],
  ['SELECT * FROM "billing"."Invoice Lines"', 'select', 'billing.Invoice Lines'],
  ['SELECT * FROM "odd""name"', 'select', 'odd"name'],
  ['INSERT INTO "Audit"."Log" VALUES (1)', 'insert', 'Audit.Log'],
  ['SELECT * FROM Public.Customers', 'select', 'public.customers'],
  ['UPDATE app.users u SET x = 1', 'update', 'app.users'],
  // Leading comments
  ['-- fetch one\nSELECT * FROM customers', 'select', 'customers'],
  ['/* controller=orders */ INSERT INTO orders DEFAULT VALUES', 'insert', 'orders'],
  ['/* outer /* nested */ still comment */ DELETE FROM t1', 'delete', 't1'],
  ["SELECT * FROM customers /*traceparent='00-abc-def-01'*/", 'select', 'customers'],
  // CTEs resolve to the main verb; a CTE name resolves to the table it reads
  ['WITH recent AS (SELECT * FROM orders WHERE ts > now()) SELECT * FROM recent', 'select', 'orders'],
  ['WITH a AS (SELECT * FROM orders), b AS (SELECT * FROM a) SELECT count(*) FROM b', 'select', 'orders'],
  ['WITH moved AS (DELETE FROM queue RETURNING *) INSERT INTO archive SELECT * FROM moved', 'insert', 'archive'],
  [
    'WITH RECURSIVE t(n) AS (VALUES (1) UNION ALL SELECT n + 1 FROM t WHERE n < 10) SELECT sum(n) FROM t',
    'select',
    'unknown',
  ],
  ['WITH x AS MATERIALIZED (SELECT 1) UPDATE accounts SET v = 2', 'update', 'accounts'],
  ['WITH x AS NOT MATERIALIZED (SELECT 1) DELETE FROM accounts', 'delete', 'accounts'],
  // FROM of the statement itself, not of a subexpression
  ['SELECT extract(year FROM created_at) FROM orders', 'select', 'orders'],
  ['SELECT (SELECT max(id) FROM a) AS m FROM b', 'select', 'b'],
  ['SELECT * FROM (SELECT * FROM inner_t) sub', 'select', 'inner_t'],
  ['SELECT * FROM generate_series(1, 10)', 'select', 'unknown'],
  ['SELECT * FROM ONLY parent_t', 'select', 'parent_t'],
  ['SELECT a.id FROM accounts a JOIN users u ON u.id = a.user_id', 'select', 'accounts'],
  ['(SELECT id FROM a) UNION (SELECT id FROM b)', 'select', 'a'],
  // Strings and dollar quotes never read as SQL
  ["SELECT 'FROM fake' FROM real_t", 'select', 'real_t'],
  ["SELECT E'it\\'s FROM x' FROM real_t", 'select', 'real_t'],
  ["SELECT 'it''s' AS s FROM real_t", 'select', 'real_t'],
  ['SELECT $tag$ FROM fake $tag$ FROM real_t', 'select', 'real_t'],
  ['SELECT $$FROM fake$$, $1 FROM real_t', 'select', 'real_t'],
  // DDL and the rest
  ['CREATE TABLE customers (id serial PRIMARY KEY)', 'create', 'customers'],
  ['CREATE TABLE IF NOT EXISTS app.customers (id int)', 'create', 'app.customers'],
  ['CREATE TEMP TABLE scratch AS SELECT 1', 'create', 'scratch'],
  ['CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS idx_email ON users (email)', 'create', 'users'],
  ['CREATE INDEX ON ONLY events USING btree (ts)', 'create', 'events'],
  ['CREATE OR REPLACE VIEW active_users AS SELECT * FROM users', 'create', 'active_users'],
  ['CREATE FUNCTION f() RETURNS int AS $$ SELECT 1 $$ LANGUAGE sql', 'create', 'unknown'],
  ['ALTER TABLE IF EXISTS ONLY orders ADD COLUMN note text', 'alter', 'orders'],
  ['DROP TABLE IF EXISTS orders', 'drop', 'orders'],
  ['DROP INDEX idx_email', 'drop', 'unknown'],
  ['TRUNCATE TABLE ONLY logs RESTART IDENTITY', 'truncate', 'logs'],
  ['TRUNCATE logs', 'truncate', 'logs'],
  ['COPY orders (id, total) FROM STDIN', 'copy', 'orders'],
  ['COPY (SELECT * FROM orders) TO STDOUT', 'copy', 'orders'],
  ['LOCK TABLE accounts IN EXCLUSIVE MODE', 'lock', 'accounts'],
  ['BEGIN', 'begin', 'unknown'],
  ['begin; select 1;', 'begin', 'unknown'],
  ['COMMIT', 'commit', 'unknown'],
  ['ROLLBACK TO SAVEPOINT s1', 'rollback', 'unknown'],
  ['SET statement_timeout = 1000', 'set', 'unknown'],
  ['SHOW server_version', 'show', 'unknown'],
  ["NOTIFY events, 'payload'", 'notify', 'unknown'],
  ['EXPLAIN ANALYZE SELECT * FROM orders', 'explain', 'unknown'],
  ['VALUES (1), (2)', 'values', 'unknown'],
  // Nothing to derive: bounded to `unknown`
  ['', 'unknown', 'unknown'],
  ['-- only a comment', 'unknown', 'unknown'],
  ['SELEC * FROM typo', 'unknown', 'unknown'],
  ['42', 'unknown', 'unknown'],
  ["SELECT * FROM 'not a table'", 'select', 'unknown'],
];

describe('summarizeSql', () => {
  test.each(STATEMENTS)('%j → %s %s', (sql, operation, table) => {
    expect(summarizeSql(sql)).toEqual({ operation, table });
  });

  test('unterminated strings, comments and quotes end the text instead of throwing', () => {
    for (const sql of [
      "SELECT 'open",
      'SELECT /* open',
      'SELECT * FROM "open',
      'SELECT $x$ open',
      'WITH a AS (SELECT',
      'SELECT * FROM (',
    ]) {
      expect(() => summarizeSql(sql)).not.toThrow();
    }
    expect(summarizeSql('INSERT INTO "open')).toEqual({ operation: 'insert', table: 'open' });
  });

  test('a huge statement is summarized from its head', () => {
    const values = Array.from({ length: 50_000 }, (_, i) => `(${i}, 'name ${i}')`).join(', ');
    expect(summarizeSql(`INSERT INTO bulk_t (id, name) VALUES ${values}`)).toEqual({
      operation: 'insert',
      table: 'bulk_t',
    });
  });
});
