import { readFileSync } from 'node:fs';
import { monitoringPath } from './monitoringFiles';

export interface GridPos {
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
}

interface DataLink {
  readonly title: string;
  readonly url: string;
}

interface Target {
  readonly refId: string;
  readonly expr: string;
  readonly datasource?: { readonly type: string; readonly uid: string };
}

interface Threshold {
  readonly color: string;
  readonly value: number | null;
}

export interface Panel {
  readonly id: number;
  readonly type: string;
  readonly title: string;
  readonly gridPos: GridPos;
  readonly datasource?: { readonly type: string; readonly uid: string };
  readonly targets?: readonly Target[];
  readonly fieldConfig?: {
    readonly defaults: {
      readonly thresholds?: { readonly mode: string; readonly steps: readonly Threshold[] };
      readonly links?: readonly DataLink[];
      readonly unit?: string;
    };
  };
}

interface Variable {
  readonly name: string;
  readonly type: string;
  readonly query: string | { readonly query: string };
  readonly allValue?: string;
  readonly datasource?: { readonly type: string; readonly uid: string };
}

export interface Dashboard {
  readonly uid: string;
  readonly title: string;
  readonly refresh: string;
  readonly time: { readonly from: string; readonly to: string };
  readonly timezone: string;
  readonly panels: readonly Panel[];
  readonly templating: { readonly list: readonly Variable[] };
  readonly annotations: {
    readonly list: ReadonlyArray<{ readonly expr?: string; readonly datasource?: { readonly uid: string } }>;
  };
}

export function dashboard(): Dashboard {
  return JSON.parse(readFileSync(monitoringPath('grafana_dashboard.json'), 'utf8')) as Dashboard;
}

/** The dashboard's panels that show data (rows excluded). */
export function dataPanels(board: Dashboard = dashboard()): Panel[] {
  return board.panels.filter((panel) => panel.type !== 'row');
}

/** Rows in order, each with the panels that follow it. */
export function rows(board: Dashboard = dashboard()): Array<{ title: string; panels: Panel[] }> {
  const result: Array<{ title: string; panels: Panel[] }> = [];
  for (const panel of board.panels) {
    if (panel.type === 'row') result.push({ title: panel.title, panels: [] });
    else result[result.length - 1]!.panels.push(panel);
  }
  return result;
}

/**
 * An expression as Prometheus receives it from Grafana with every filter at "All":
 * `$__rate_interval` becomes `rateInterval` and each query variable its `allValue`.
 */
export function toPromQL(expr: string, rateInterval: string, board: Dashboard = dashboard()): string {
  let out = expr.replace(/\$\{__rate_interval\}|\$__rate_interval/g, rateInterval);
  for (const variable of board.templating.list) {
    if (variable.type !== 'query') continue;
    out = out.replace(new RegExp(`\\$\\{${variable.name}\\}|\\$${variable.name}\\b`, 'g'), variable.allValue ?? '.*');
  }
  return out;
}

/** Every panel query, ready for Prometheus (see toPromQL). */
export function panelQueries(
  rateInterval: string,
  board: Dashboard = dashboard(),
): Array<{ panel: string; expr: string }> {
  return dataPanels(board).flatMap((panel) =>
    (panel.targets ?? []).map((target) => ({ panel: panel.title, expr: toPromQL(target.expr, rateInterval, board) })),
  );
}
