import { TelemetryConfigError } from '@agent-telemetry/core';
import { checkOptionTypes } from '@agent-telemetry/core/instrumentation-support';
import type { IncomingMessage } from 'node:http';
import { EndpointNormalizer } from './EndpointNormalizer';
import type { HttpInstrumentationOptions } from './types';

export const DEFAULT_CONFIG = {
  enabled: true,
  ignorePaths: [],
  endpointRules: [],
  maxEndpoints: 100,
  overflowEndpoint: 'overflow',
  unmatchedEndpoint: 'unmatched',
  disconnectStatusCode: 499,
  outgoingRequests: true,
  maxHosts: 100,
} as const satisfies HttpInstrumentationOptions;

/** The options whose type is checked before the checks of their values below. */
const OPTION_TYPES = {
  enabled: 'boolean',
  ignorePaths: 'object',
  ignoreIncomingRequest: 'function',
  endpointRules: 'object',
  normalizeEndpoint: 'function',
  maxEndpoints: 'number',
  overflowEndpoint: 'string',
  unmatchedEndpoint: 'string',
  disconnectStatusCode: 'number',
  outgoingRequests: 'boolean',
  ignoreOutgoingRequest: 'function',
  maxHosts: 'number',
  modules: 'object',
} as const;

/** The options with defaults applied and checked, in the form the recorders use. */
export interface ResolvedOptions {
  readonly enabled: boolean;
  /** Decides whether an incoming request path is left out. */
  readonly isIgnored: (path: string, request: IncomingMessage) => boolean;
  readonly normalize: (path: string, request: IncomingMessage) => string;
  readonly maxEndpoints: number;
  readonly overflowEndpoint: string;
  readonly unmatchedEndpoint: string;
  readonly disconnectStatusCode: number;
  readonly outgoingRequests: boolean;
  readonly ignoreOutgoingRequest: HttpInstrumentationOptions['ignoreOutgoingRequest'];
  readonly maxHosts: number;
}

/** Merges `options` over {@link DEFAULT_CONFIG}. Throws a `TelemetryConfigError` naming the field and what it accepts. */
export function resolveOptions(options: HttpInstrumentationOptions): ResolvedOptions {
  checkOptionTypes('instrumentations.http', options, OPTION_TYPES);
  const config = { ...DEFAULT_CONFIG, ...withoutUndefined(options) };
  for (const field of ['maxEndpoints', 'maxHosts'] as const) {
    if (!Number.isInteger(config[field]) || config[field] < 1) invalid(field, config[field], 'an integer >= 1');
  }
  const status = config.disconnectStatusCode;
  if (!Number.isInteger(status) || status < 100 || status > 999)
    invalid('disconnectStatusCode', status, 'a 3-digit integer');
  for (const field of ['overflowEndpoint', 'unmatchedEndpoint'] as const) {
    if (typeof config[field] !== 'string' || config[field].length === 0)
      invalid(field, config[field], 'a non-empty string');
  }
  return {
    enabled: config.enabled !== false,
    isIgnored: ignoreMatcher(config.ignorePaths, config.ignoreIncomingRequest),
    normalize: config.normalizeEndpoint ?? normalizerFor(config.endpointRules),
    maxEndpoints: config.maxEndpoints,
    overflowEndpoint: config.overflowEndpoint,
    unmatchedEndpoint: config.unmatchedEndpoint,
    disconnectStatusCode: status,
    outgoingRequests: config.outgoingRequests !== false,
    ignoreOutgoingRequest: config.ignoreOutgoingRequest,
    maxHosts: config.maxHosts,
  };
}

function ignoreMatcher(
  configured: HttpInstrumentationOptions['ignorePaths'] & object,
  predicate: HttpInstrumentationOptions['ignoreIncomingRequest'],
): ResolvedOptions['isIgnored'] {
  const exact = new Set<string>();
  const patterns: RegExp[] = [];
  for (const entry of configured) {
    if (typeof entry === 'string') exact.add(entry);
    else if (entry instanceof RegExp)
      patterns.push(new RegExp(entry.source, entry.flags.replace(/[gy]/g, ''))); // test() of a g/y RegExp is stateful
    else invalid('ignorePaths', entry, 'strings and RegExps');
  }
  return (path, request) =>
    exact.has(path) || patterns.some((pattern) => pattern.test(path)) || predicate?.(request) === true;
}

function normalizerFor(rules: HttpInstrumentationOptions['endpointRules'] & object): ResolvedOptions['normalize'] {
  for (const rule of rules) {
    if (!(rule?.pattern instanceof RegExp) || typeof rule.replacement !== 'string') {
      invalid('endpointRules', rule, '{ pattern: RegExp, replacement: string } objects');
    }
  }
  const normalizer = new EndpointNormalizer(rules);
  return (path) => normalizer.normalize(path);
}

function withoutUndefined<T extends object>(options: T): Partial<T> {
  return Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)) as Partial<T>;
}

function invalid(field: string, value: unknown, accepted: string): never {
  throw new TelemetryConfigError(`instrumentations.http.${field}`, describe(value), accepted);
}

/** A value as the error shows it (JSON): RegExps, functions and symbols by their text. */
function describe(value: unknown): unknown {
  return value instanceof RegExp || typeof value === 'function' || typeof value === 'symbol' ? String(value) : value;
}
