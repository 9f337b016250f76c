import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as YAML from 'yaml';

/** The repository root and the monitoring/ folder. */
export const ROOT = path.resolve(__dirname, '..', '..', '..');
export const MONITORING = path.join(ROOT, 'monitoring');

export function monitoringPath(...parts: string[]): string {
  return path.join(MONITORING, ...parts);
}

export function readYaml<T>(file: string): T {
  return YAML.parse(readFileSync(file, 'utf8')) as T;
}

export interface Rule {
  readonly record?: string;
  readonly alert?: string;
  readonly expr: string;
  readonly for?: string;
  readonly labels?: Record<string, string>;
  readonly annotations?: Record<string, string>;
}

export interface RuleGroup {
  readonly name: string;
  readonly interval?: string;
  readonly rules: readonly Rule[];
}

export function alertRules(): { groups: readonly RuleGroup[] } {
  return readYaml(monitoringPath('alert_rules.yml'));
}

/** Every alerting rule of alert_rules.yml. */
export function alerts(): Rule[] {
  return alertRules().groups.flatMap((group) => group.rules.filter((rule) => rule.alert !== undefined));
}

/** Every recording rule of alert_rules.yml. */
export function recordingRules(): Rule[] {
  return alertRules().groups.flatMap((group) => group.rules.filter((rule) => rule.record !== undefined));
}
