import { knownMetric, TARGET_LABELS } from './helpers/knownMetrics';
import { dashboard, dataPanels, rows, toPromQL, type GridPos, type Panel } from './helpers/dashboard';
import { alerts, monitoringPath, readYaml } from './helpers/monitoringFiles';
import { expressionNames } from './helpers/promql';
import { checkExpressions } from './helpers/tools';

/** The spec's 18 panels, in its order, in its five groups. */
const SPEC_ROWS: ReadonlyArray<[row: string, panels: readonly string[]]> = [
  ['Performance', ['Request Rate', 'Response Time (p95)', 'Agent Executions', 'Agent Execution Duration (p95)']],
  ['Business', ['Token Usage Rate', 'Cost Rate', 'Active Customers by Tier', 'Revenue Rate']],
  [
    'Reliability',
    ['Rate Limit Hits', 'Circuit Breaker States', 'Database Query Duration (p95)', 'Active Database Connections'],
  ],
  ['LLM Provider', ['LLM API Call Duration', 'LLM API Error Rate']],
  ['System', ['System Uptime', 'Error Rate', 'Memory Usage', 'Disk Usage']],
];

/**
 * Panels drawn against an alert's threshold: the red step is the threshold, in the panel's unit
 * (Disk Usage shows used space, DiskSpaceLow reads free space: 1 - 0.15).
 */
const ALERT_THRESHOLDS: ReadonlyArray<[panel: string, alert: string, threshold: string, red: number]> = [
  ['Request Rate', 'PossibleDDoSAttack', '> 1000', 1000],
  ['Response Time (p95)', 'HighResponseTime', '> 2', 2],
  ['Agent Execution Duration (p95)', 'HighAgentExecutionTime', '> 60', 60],
  ['Cost Rate', 'HighAgentCost', '> 10', 10],
  ['Rate Limit Hits', 'HighRateLimitHitRate', '> 10', 10],
  ['Circuit Breaker States', 'CircuitBreakerOpen', '== 2', 2],
  ['Database Query Duration (p95)', 'HighDatabaseQueryTime', '> 0.5', 0.5],
  ['Active Database Connections', 'DatabaseConnectionPoolExhausted', '> 0.9', 0.9],
  ['Error Rate', 'HighErrorRate', '> 0.05', 0.05],
  ['Memory Usage', 'HighMemoryUsage', '> 0.85', 0.85],
  ['Disk Usage', 'DiskSpaceLow', '< 0.15', 0.85],
];

/** Panels beyond the spec's, after the spec's own in their row. */
const EXTRA_PANELS: ReadonlyArray<[row: string, panels: readonly string[]]> = [
  ['LLM Provider', ['LLM Cost by Provider/Model', 'LLM Tokens by Type', 'LLM Time to First Token (p95)']],
];

const overlap = (a: GridPos, b: GridPos): boolean =>
  a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
const panelNamed = (title: string): Panel => dataPanels().find((panel) => panel.title === title)!;
const DATASOURCE = { type: 'prometheus', uid: '${datasource}' };

describe('monitoring/grafana_dashboard.json', () => {
  const board = dashboard();

  it('has the spec panels with its titles, in its rows and order, then the extra LLM panels', () => {
    const extra = new Map(EXTRA_PANELS);
    expect(dataPanels()).toHaveLength(18 + [...extra.values()].flat().length);
    expect(rows().map((row) => [row.title, row.panels.map((panel) => panel.title)])).toEqual(
      SPEC_ROWS.map(([row, panels]) => [row, [...panels, ...(extra.get(row) ?? [])]]),
    );
  });

  it('refreshes every 30s over the last 6 hours in the browser time zone', () => {
    expect(board.refresh).toBe('30s');
    expect(board.time).toEqual({ from: 'now-6h', to: 'now' });
    expect(board.timezone).toBe('browser');
  });

  it('has unique panel ids and a grid without overlaps, 24 columns wide', () => {
    const ids = board.panels.map((panel) => panel.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const panel of board.panels) {
      expect(panel.gridPos.x).toBeGreaterThanOrEqual(0);
      expect(panel.gridPos.x + panel.gridPos.w).toBeLessThanOrEqual(24);
    }
    for (const [i, a] of board.panels.entries()) {
      for (const b of board.panels.slice(i + 1))
        expect([a.title, b.title, overlap(a.gridPos, b.gridPos)]).toEqual([a.title, b.title, false]);
    }
  });

  it('reads every panel and query through the `datasource` variable', () => {
    const variable = board.templating.list.find((v) => v.name === 'datasource');
    expect(variable).toMatchObject({ type: 'datasource', query: 'prometheus' });
    for (const panel of dataPanels()) {
      expect([panel.title, panel.datasource]).toEqual([panel.title, DATASOURCE]);
      expect(panel.targets!.length).toBeGreaterThan(0);
      for (const target of panel.targets!) expect([panel.title, target.datasource]).toEqual([panel.title, DATASOURCE]);
    }
    for (const variable of board.templating.list.filter((v) => v.type === 'query'))
      expect(variable.datasource).toEqual(DATASOURCE);
    for (const annotation of board.annotations.list.filter((a) => a.expr !== undefined))
      expect(annotation.datasource).toEqual(DATASOURCE);
  });

  it('uses $__rate_interval in every rate', () => {
    for (const panel of dataPanels()) {
      for (const target of panel.targets!) {
        for (const [, range] of target.expr.matchAll(/\b(?:rate|increase|irate)\([^[]*\[([^\]]+)\]/g))
          expect([panel.title, range]).toEqual([panel.title, '$__rate_interval']);
      }
    }
  });

  it('colours every panel green, yellow and red', () => {
    for (const panel of dataPanels()) {
      const steps = panel.fieldConfig?.defaults.thresholds?.steps ?? [];
      expect([panel.title, steps.map((step) => step.color).sort()]).toEqual([panel.title, ['green', 'red', 'yellow']]);
      expect(steps[0]!.value).toBeNull();
    }
  });

  it.each(ALERT_THRESHOLDS)('draws %s red at the %s threshold', (title, alertName, threshold, red) => {
    const alert = alerts().find((rule) => rule.alert === alertName)!;
    expect(alert.expr).toContain(` ${threshold}`);
    const steps = panelNamed(title).fieldConfig!.defaults.thresholds!.steps;
    expect(steps.find((step) => step.color === 'red')!.value).toBe(red);
  });

  it('has queries that promtool accepts', async () => {
    const exprs = [
      ...dataPanels().flatMap((panel) => panel.targets!.map((target) => toPromQL(target.expr, '1m', board))),
      ...board.annotations.list.flatMap((a) => (a.expr === undefined ? [] : [a.expr])),
      ...board.templating.list
        .filter((v) => v.type === 'query')
        .map((v) => /^label_values\((.+), \w+\)$/.exec(typeof v.query === 'string' ? v.query : v.query.query)![1]!),
    ];
    const result = await checkExpressions(exprs);
    expect(result.stdout + result.stderr).toContain(`SUCCESS: ${exprs.length} rules found`);
  });

  it('reads only metrics that exist, filtering and grouping on labels they have', () => {
    for (const panel of dataPanels()) {
      for (const target of panel.targets!) {
        const names = expressionNames(toPromQL(target.expr, '1m', board));
        const labels = new Set<string>(TARGET_LABELS);
        for (const selector of names.selectors) {
          const known = knownMetric(selector.metric);
          expect([panel.title, selector.metric, known?.source]).toEqual([
            panel.title,
            selector.metric,
            expect.stringMatching(/catalogue|runtime|service|exporter/),
          ]);
          if (known?.labels === undefined) {
            selector.labels.forEach((label) => labels.add(label));
            continue;
          }
          known.labels.forEach((label) => labels.add(label));
          for (const label of selector.labels)
            expect([panel.title, selector.metric, label, labels.has(label)]).toEqual([
              panel.title,
              selector.metric,
              label,
              true,
            ]);
        }
        for (const label of names.groupingLabels)
          expect([panel.title, label, labels.has(label)]).toEqual([panel.title, label, true]);
      }
    }
    for (const variable of board.templating.list.filter((v) => v.type === 'query')) {
      const [, metric, label] = /^label_values\((\w+), (\w+)\)$/.exec(
        typeof variable.query === 'string' ? variable.query : variable.query.query,
      )!;
      expect(knownMetric(metric!)?.labels).toContain(label!);
    }
  });

  it('drills down: data links set a dashboard variable to the clicked series label', () => {
    const variables = new Set(board.templating.list.map((v) => v.name));
    const drilling = dataPanels().filter((panel) => (panel.fieldConfig?.defaults.links ?? []).length > 0);
    expect(drilling.length).toBeGreaterThanOrEqual(10);
    for (const panel of drilling) {
      const grouping = new Set(
        panel.targets!.flatMap((target) => expressionNames(toPromQL(target.expr, '1m', board)).groupingLabels),
      );
      for (const link of panel.fieldConfig!.defaults.links!) {
        const [, variable, label] = /[?&]var-(\w+)=\$\{__field\.labels\.(\w+)(?::\w+)?\}/.exec(link.url) ?? [];
        expect([panel.title, variables.has(variable!), grouping.has(label!)]).toEqual([panel.title, true, true]);
        expect(link.url).toContain(`/d/${board.uid}/`);
        expect(link.url).toContain('${__url_time_range}');
        expect(link.url).toContain('${datasource:queryparam}');
      }
    }
  });
});

describe('monitoring/grafana/provisioning', () => {
  it('provisions a Prometheus data source and loads the dashboard from where docker-compose mounts it', () => {
    const datasources = readYaml<any>(monitoringPath('grafana', 'provisioning', 'datasources', 'prometheus.yml'));
    expect(datasources.datasources).toEqual([
      expect.objectContaining({ type: 'prometheus', url: 'http://prometheus:9090', isDefault: true }),
    ]);
    const providers = readYaml<any>(monitoringPath('grafana', 'provisioning', 'dashboards', 'agent-telemetry.yml'));
    expect(providers.providers).toEqual([
      expect.objectContaining({ type: 'file', options: { path: '/var/lib/grafana/dashboards' } }),
    ]);
    const compose = readYaml<any>(monitoringPath('docker-compose.yml'));
    expect(compose.services.grafana.volumes).toEqual(
      expect.arrayContaining([
        './grafana/provisioning:/etc/grafana/provisioning:ro',
        './grafana_dashboard.json:/var/lib/grafana/dashboards/agent-telemetry.json:ro',
      ]),
    );
  });
});
