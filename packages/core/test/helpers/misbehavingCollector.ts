import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * How a {@link MisbehavingCollector} answers each OTLP push:
 * - `trickle`: 200 at once, then the body one byte every 300 ms, never ending (an idle timeout
 *   never fires);
 * - `garbage`: 200 with a body that is not an OTLP response;
 * - `cut`: 200 announcing 100 bytes, 10 of them sent, then the connection dropped.
 */
export type Misbehaviour = 'trickle' | 'garbage' | 'cut';

/** A loopback OTLP/HTTP collector that accepts every push and then misbehaves in its answer. */
export class MisbehavingCollector {
  /** Pushes received, whole bodies read. */
  pushes = 0;
  private readonly _timers = new Set<NodeJS.Timeout>();

  private constructor(private readonly _server: Server) {}

  static async start(misbehaviour: Misbehaviour): Promise<MisbehavingCollector> {
    const server = createServer();
    const collector = new MisbehavingCollector(server);
    server.on('request', (req, res) => {
      req.resume();
      req.on('end', () => {
        collector.pushes++;
        if (misbehaviour === 'garbage') {
          res.writeHead(200, { 'content-type': 'application/json' }).end('<html>not an OTLP response</html>');
        } else if (misbehaviour === 'cut') {
          res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
          res.write('{"partial', () => res.destroy());
        } else {
          res.writeHead(200, { 'content-type': 'application/json' });
          const timer = setInterval(() => res.write(' '), 300);
          collector._timers.add(timer);
          res.on('close', () => {
            clearInterval(timer);
            collector._timers.delete(timer);
          });
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return collector;
  }

  get url(): string {
    return `http://127.0.0.1:${(this._server.address() as AddressInfo).port}/v1/metrics`;
  }

  /** Connections still open to it (a trickled answer the service has not given up on). */
  async openConnections(): Promise<number> {
    return new Promise((resolve, reject) =>
      this._server.getConnections((err, count) => (err ? reject(err) : resolve(count))),
    );
  }

  /** Resolves once `count` pushes arrived. */
  async waitForPushes(count: number): Promise<void> {
    while (this.pushes < count) await new Promise((resolve) => setTimeout(resolve, 20));
  }

  close(): Promise<void> {
    for (const timer of this._timers) clearInterval(timer);
    this._server.closeAllConnections();
    return new Promise((resolve) => this._server.close(() => resolve()));
  }
}
