/**
 * Most UTF-16 code units (what `String.prototype.length` counts) a label value keeps; at most
 * 768 bytes of UTF-8. Longer values are cut: see {@link boundLabelValue}.
 */
export const MAX_LABEL_VALUE_LENGTH = 256;

/** What replaces the cut part of an over-long label value. */
export const CUT_MARKER = '…';

/**
 * A label value as it is stored and exposed: at most {@link MAX_LABEL_VALUE_LENGTH} code units,
 * and well-formed UTF-16.
 *
 * An over-long value keeps its first 255 code units (one fewer when the cut would split a
 * surrogate pair) followed by `…`, so every value that starts alike shares one series: a client
 * choosing request paths can no longer make each series kilobytes long. A lone surrogate (a
 * string cut mid-emoji) becomes U+FFFD, as UTF-8 encoding would make it anyway: two JavaScript
 * strings that reach Prometheus as the same text are one series, not two that Prometheus would
 * read as duplicates. The result is a fixed point: bounding it again returns it unchanged.
 */
export function boundLabelValue(value: string): string {
  if (value.length > MAX_LABEL_VALUE_LENGTH) {
    let end = MAX_LABEL_VALUE_LENGTH - CUT_MARKER.length;
    if (isHighSurrogate(value.charCodeAt(end - 1))) end--;
    value = value.slice(0, end) + CUT_MARKER;
  }
  return value.isWellFormed() ? value : value.toWellFormed();
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}
