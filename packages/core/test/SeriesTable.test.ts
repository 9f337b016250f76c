import { OVERFLOW_ATTRIBUTES } from '../src/catalogue';
import { SeriesTable } from '../src/SeriesTable';

interface Cell {
  value: number;
}

function newTable(labelNames: readonly string[], limit: number): SeriesTable<Cell> {
  return new SeriesTable<Cell>(labelNames, limit, () => ({ value: 0 }));
}

/** Every node of the table's label-value tree: the Maps and the series at the leaves. */
function treeSize(table: SeriesTable<Cell>): { maps: number; leaves: number } {
  const count = { maps: 0, leaves: 0 };
  const walk = (node: unknown): void => {
    if (node instanceof Map) {
      count.maps++;
      for (const child of node.values()) walk(child);
    } else {
      count.leaves++;
    }
  };
  // The tree is private; reading it is the only way to show that rejected label sets allocate nothing.
  walk(table['_root']);
  return count;
}

test('one label set maps to one cell, whatever the key order, and numbers read as their decimal text', () => {
  const table = newTable(['method', 'endpoint', 'status_code'], 100);
  const cell = table.cellFor({ method: 'GET', endpoint: '/a', status_code: 200 });
  expect(table.cellFor({ status_code: '200', endpoint: '/a', method: 'GET' })).toBe(cell);
  expect(table.cellFor({ method: 'GET', endpoint: '/a', status_code: 500 })).not.toBe(cell);
  expect(table.series().map((series) => series.attributes)).toEqual([
    { method: 'GET', endpoint: '/a', status_code: '200' },
    { method: 'GET', endpoint: '/a', status_code: '500' },
  ]);
});

test('label values that share prefixes or contain separators stay distinct series', () => {
  const table = newTable(['a', 'b'], 100);
  const cells = [
    table.cellFor({ a: 'x,y', b: 'z' }),
    table.cellFor({ a: 'x', b: 'y,z' }),
    table.cellFor({ a: '', b: 'xy' }),
    table.cellFor({ a: 'xy', b: '' }),
  ];
  expect(new Set(cells).size).toBe(4);
  expect(table.size).toBe(4);
});

test('only the table labels are read: extra ones never become labels, missing ones read as empty', () => {
  const table = newTable(['tier'], 100);
  const cell = table.cellFor({ tier: 'pro', user_id: 'u-1' });
  expect(table.cellFor({ tier: 'pro', user_id: 'u-2' })).toBe(cell);
  table.cellFor({});
  expect(table.series().map((series) => series.attributes)).toEqual([{ tier: 'pro' }, { tier: '' }]);
});

test('a table without labels has a single series', () => {
  const table = newTable([], 10);
  expect(table.cellFor({})).toBe(table.cellFor({ anything: 'x' }));
  expect(table.series()).toHaveLength(1);
});

test('the limit counts the overflow series: limit - 1 label sets are kept, then one overflow series', () => {
  const table = newTable(['id'], 5);
  const cells = Array.from({ length: 20 }, (_, i) => table.cellFor({ id: i }));
  expect(new Set(cells.slice(0, 4)).size).toBe(4);
  const overflow = cells[4];
  expect(cells.slice(4).every((cell) => cell === overflow)).toBe(true);
  // Kept label sets keep their own series.
  expect(table.cellFor({ id: 2 })).toBe(cells[2]);
  const series = table.series();
  expect(series).toHaveLength(5);
  expect(series[4]!.attributes).toBe(OVERFLOW_ATTRIBUTES);
  expect(OVERFLOW_ATTRIBUTES).toEqual({ 'otel.metric.overflow': true });
});

test('rejected label sets allocate nothing: the tree stops growing at the limit', () => {
  const table = newTable(['method', 'endpoint', 'status_code'], 10);
  for (let i = 0; i < 9; i++) table.cellFor({ method: `M${i}`, endpoint: `/e/${i}`, status_code: i });
  const atLimit = treeSize(table);
  expect(atLimit).toEqual({ maps: 1 + 9 + 9, leaves: 9 });

  for (let i = 0; i < 10_000; i++) {
    // New at every depth, and new only at the last depth under a kept prefix.
    table.cellFor({ method: `X${i}`, endpoint: `/x/${i}`, status_code: i });
    table.cellFor({ method: 'M1', endpoint: '/e/1', status_code: 1000 + i });
  }
  expect(treeSize(table)).toEqual(atLimit);
  expect(table.size).toBe(9);
  expect(table.series()).toHaveLength(10);
});

test('clear() forgets every series, the overflow series included', () => {
  const table = newTable(['id'], 2);
  table.cellFor({ id: 1 });
  table.cellFor({ id: 2 });
  table.clear();
  expect(table.series()).toEqual([]);
  expect(table.size).toBe(0);
  table.cellFor({ id: 3 });
  expect(table.series().map((series) => series.attributes)).toEqual([{ id: '3' }]);
});
