import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One OTLP/HTTP JSON attribute, as `exporter-metrics-otlp-http` encodes it. */
interface OtlpAttribute {
  key: string;
  value: { stringValue?: string; intValue?: number | string; doubleValue?: number; boolValue?: boolean };
}

export interface OtlpDataPoint {
  attributes: OtlpAttribute[];
  asDouble?: number;
  asInt?: number | string;
  count?: number | string;
  sum?: number;
  min?: number;
  max?: number;
  bucketCounts?: Array<number | string>;
  explicitBounds?: number[];
}

export interface OtlpMetric {
  name: string;
  description: string;
  unit: string;
  sum?: { aggregationTemporality: number; isMonotonic: boolean; dataPoints: OtlpDataPoint[] };
  gauge?: { dataPoints: OtlpDataPoint[] };
  histogram?: { aggregationTemporality: number; dataPoints: OtlpDataPoint[] };
}

export interface OtlpRequest {
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: {
    resourceMetrics: Array<{
      resource: { attributes: OtlpAttribute[] };
      scopeMetrics: Array<{ scope: { name: string; version?: string }; metrics: OtlpMetric[] }>;
    }>;
  };
}

/**
 * A loopback OTLP/HTTP receiver that decodes each JSON export request. `answer: false` makes a
 * collector that accepts connections and never answers.
 */
export class OtlpReceiver {
  readonly requests: OtlpRequest[] = [];
  private readonly _waiters: Array<() => void> = [];

  private constructor(private readonly _server: Server) {}

  static async start({ answer = true } = {}): Promise<OtlpReceiver> {
    const server = createServer();
    const receiver = new OtlpReceiver(server);
    server.on('request', (req, res) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (chunk: string) => (body += chunk));
      req.on('end', () => {
        receiver._received({ url: req.url ?? '', headers: req.headers, body: JSON.parse(body) as OtlpRequest['body'] });
        if (answer) res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return receiver;
  }

  get url(): string {
    return `http://127.0.0.1:${(this._server.address() as AddressInfo).port}`;
  }

  /** Every metric of every request, latest request last. */
  metrics(): OtlpMetric[] {
    return this.requests.flatMap((request) =>
      request.body.resourceMetrics.flatMap((rm) => rm.scopeMetrics.flatMap((sm) => sm.metrics)),
    );
  }

  /** Resolves once a received request satisfies `predicate`. */
  async waitFor(predicate: (request: OtlpRequest) => boolean): Promise<OtlpRequest> {
    for (;;) {
      const found = this.requests.find(predicate);
      if (found !== undefined) return found;
      await new Promise<void>((resolve) => this._waiters.push(resolve));
    }
  }

  close(): Promise<void> {
    this._server.closeAllConnections();
    return new Promise((resolve) => this._server.close(() => resolve()));
  }

  private _received(request: OtlpRequest): void {
    this.requests.push(request);
    for (const wake of this._waiters.splice(0)) wake();
  }
}

/** A metric's data points in a request, or [] when the request does not hold it. */
export function pointsOf(request: OtlpRequest, name: string): OtlpDataPoint[] {
  for (const rm of request.body.resourceMetrics) {
    for (const sm of rm.scopeMetrics) {
      const metric = sm.metrics.find((m) => m.name === name);
      if (metric) return (metric.sum ?? metric.gauge ?? metric.histogram)!.dataPoints;
    }
  }
  return [];
}

/** Attributes as a plain object of their values. */
export function attributesOf(point: OtlpDataPoint): Record<string, unknown> {
  return Object.fromEntries(point.attributes.map(({ key, value }) => [key, Object.values(value)[0]]));
}
