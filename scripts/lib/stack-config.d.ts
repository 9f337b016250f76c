// Types of stack-config.js for the TypeScript tests (monitoring/test). See stack-config.js.

export declare function parseDuration(text: string): number;
export declare function scaleDuration(text: string, speedUp: number): string;
export declare function renderPrometheusConfig(
  text: string,
  options: { targets: Record<string, string>; alertmanager: string; speedUp?: number },
): string;
export declare function renderRules(text: string, options: { speedUp?: number }): string;
export declare function renderAlertmanagerConfig(
  text: string,
  options: { secretsDir: string; sink?: { url: string; smtp: string }; speedUp?: number },
): { text: string; secrets: Record<string, string> };
