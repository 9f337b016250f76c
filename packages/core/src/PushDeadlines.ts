import { AsyncLocalStorage } from 'node:async_hooks';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { ClientRequest } from 'node:http';

interface Push {
  readonly requests: Set<ClientRequest>;
  ended: boolean;
}

/** Node publishes every outgoing HTTP request here as it is created. */
const REQUEST_START = 'http.client.request.start';

/**
 * Total deadlines for OTLP pushes. The exporter's own timeout is an idle timeout: a collector
 * that answers 200 and then trickles its body one byte at a time keeps a push open forever, and
 * `shutdown()` waits for it. Here every HTTP request the exporter makes belongs to the push that
 * made it (tracked through `AsyncLocalStorage`, which follows the exporter's awaits and retry
 * timers, and Node's `http.client.request.start` diagnostics channel, which names each request as
 * it is created); ending the push destroys its requests, so each fails at once and nothing waits
 * on it any longer. A request made by a push already ended (a retry) is destroyed as it starts.
 * The exporter's agent, TLS options and keep-alive stay its own.
 */
export class PushDeadlines {
  private readonly _current = new AsyncLocalStorage<Push>();
  private readonly _open = new Set<Push>();
  private readonly _onRequest = (message: unknown): void => {
    const push = this._current.getStore();
    if (push === undefined) return;
    const { request } = message as { request: ClientRequest };
    if (push.ended) {
      request.destroy();
      return;
    }
    push.requests.add(request);
    request.once('close', () => push.requests.delete(request));
  };

  /** Runs `send` as one push; returns the function that ends it. */
  start(send: () => void): () => void {
    const push: Push = { requests: new Set(), ended: false };
    // Listening only while a push is open: the service's own requests cost nothing meanwhile.
    if (this._open.size === 0) subscribe(REQUEST_START, this._onRequest);
    this._open.add(push);
    const end = () => this._end(push);
    try {
      this._current.run(push, send);
    } catch (err) {
      end();
      throw err;
    }
    return end;
  }

  /** Ends every push still open (at shutdown). */
  endAll(): void {
    for (const push of this._open) this._end(push);
  }

  private _end(push: Push): void {
    push.ended = true;
    for (const request of push.requests) request.destroy();
    push.requests.clear();
    if (this._open.delete(push) && this._open.size === 0) unsubscribe(REQUEST_START, this._onRequest);
  }
}
