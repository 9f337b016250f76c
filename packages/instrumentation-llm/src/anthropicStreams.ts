import type { StreamReader } from './internal-types';

interface MessageEvent {
  readonly type?: unknown;
  readonly message?: { readonly model?: unknown; readonly usage?: Record<string, unknown> };
  readonly usage?: Record<string, unknown>;
}

/**
 * A reader of Anthropic Messages stream events: `message_start` carries the model and the input
 * usage (and the first output tokens), each `message_delta` the cumulative usage so far (output
 * tokens, and in newer API versions the input and cache counts again, null where unknown);
 * the first `content_block_delta` is the first token; `message_stop` is the final event.
 */
export function messageStreamReader(): StreamReader {
  const usage: Record<string, unknown> = {};
  const merge = (counts: Record<string, unknown> | undefined): void => {
    if (counts === null || typeof counts !== 'object') return;
    for (const [key, value] of Object.entries(counts)) if (typeof value === 'number') usage[key] = value;
  };
  return (event, progress) => {
    const { type, message, usage: delta } = (event ?? {}) as MessageEvent;
    switch (type) {
      case 'message_start':
        progress.responseModel(message?.model);
        merge(message?.usage);
        progress.usage(usage);
        break;
      case 'message_delta':
        merge(delta);
        progress.usage(usage);
        break;
      case 'content_block_delta':
        progress.firstToken();
        break;
      case 'message_stop':
        progress.completed();
        break;
    }
  };
}
