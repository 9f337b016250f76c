import type { Attributes, AttributeValue } from '@opentelemetry/api';
import { boundLabelValue } from './labelValue';

/*
 * Attribute keys and values as Prometheus label names and values. The keys of the service's own
 * OTel instruments are arbitrary strings, and one bad label name (a duplicate, `__name__`, an
 * empty one) makes Prometheus reject the whole scrape, the catalogue's metrics with it. So every
 * key is made a valid, unique, unreserved label name, whatever arrives.
 */

/** What a label name Prometheus would reject or misread is prefixed with. */
const RESERVED_PREFIX = 'key_';

/**
 * The Prometheus label name of an attribute key: runs of characters outside `[a-zA-Z0-9_]`
 * become one `_` (`http.route` → `http_route`). A name that would be empty, start with a digit,
 * start with `__` (reserved, as `__name__`), or be `le` or `quantile` (the bucket and quantile
 * labels, which Prometheus reads as such on any metric) is prefixed with `key_`.
 */
export function labelName(key: string): string {
  const name = key.replace(/[^a-zA-Z0-9_]+/g, '_');
  if (name === '' || /^[0-9]/.test(name) || name.startsWith('__') || name === 'le' || name === 'quantile') {
    return RESERVED_PREFIX + name;
  }
  return name;
}

/**
 * The rendered labels of one data point (`a="1",b="2"`, no braces). Keys that map to one label
 * name (`a.b` and `a_b`, `é` and `ü`) share it, their values joined by `;` in the order of the
 * original keys, as the OpenTelemetry specification requires of Prometheus exporters. A constant
 * label (the service's identity) gives way to a point's own label of the same name. Values are
 * bounded ({@link boundLabelValue}) and escaped.
 */
export function renderLabels(attributes: Attributes, constantLabels: Attributes): string {
  const byName = new Map<string, Array<[key: string, value: string]>>();
  for (const key in attributes) {
    const value = attributes[key];
    if (value === undefined) continue;
    const name = labelName(key);
    const entries = byName.get(name);
    if (entries === undefined) byName.set(name, [[key, valueText(value)]]);
    else entries.push([key, valueText(value)]);
  }
  for (const key in constantLabels) {
    const value = constantLabels[key];
    const name = labelName(key);
    if (value !== undefined && !byName.has(name)) byName.set(name, [[key, valueText(value)]]);
  }
  let text = '';
  for (const [name, entries] of byName) {
    const value =
      entries.length === 1
        ? entries[0]![1]
        : entries
            .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
            .map((entry) => entry[1])
            .join(';');
    text += `${text === '' ? '' : ','}${name}="${escapeLabelValue(boundLabelValue(value))}"`;
  }
  return text;
}

/** An attribute value as label text: strings as they are, anything else as JSON. */
function valueText(value: AttributeValue): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** Label values escape `\`, `"` and newline; everything else, non-ASCII included, is literal UTF-8. */
export function escapeLabelValue(value: AttributeValue): string {
  const text = valueText(value);
  return /[\\"\n]/.test(text) ? text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n') : text;
}
