// trackRequestMetrics compiled with `experimentalDecorators` (tsconfig.legacy-decorators.json).
import { createTelemetry, type Telemetry } from '@agent-telemetry/core';
import type { IncomingMessage } from 'node:http';
import { trackRequestMetrics } from '../src';
import { scrape } from './helpers';

let telemetry: Telemetry;
beforeEach(() => {
  telemetry = createTelemetry({ prometheus: { server: false }, runtimeMetrics: false }, { env: {} });
});
afterEach(() => telemetry.shutdown());

test('as a legacy method decorator: sync and async, this, return values and errors untouched', async () => {
  const { metrics } = telemetry;
  class Consumer {
    readonly handled: string[] = [];

    @trackRequestMetrics('/queue/orders', { metrics })
    handle(request: IncomingMessage): number {
      this.handled.push(String(request.method));
      return this.handled.length;
    }

    @trackRequestMetrics('/queue/orders/:id', { metrics, method: 'delete' })
    async remove(id: string): Promise<string> {
      if (id === 'missing') throw new Error(`no order ${id}`);
      return id;
    }
  }
  const consumer = new Consumer();
  expect(consumer.handle({ method: 'post' } as IncomingMessage)).toBe(1);
  await expect(consumer.remove('42')).resolves.toBe('42');
  await expect(consumer.remove('missing')).rejects.toThrow('no order missing');
  expect(Consumer.prototype.handle.name).toBe('handle');
  expect(
    (await scrape(telemetry, 'http_requests_total')).split('\n').filter((l) => l.startsWith('http_requests_total{')),
  ).toEqual([
    'http_requests_total{method="POST",endpoint="/queue/orders",status_code="200"} 1',
    'http_requests_total{method="DELETE",endpoint="/queue/orders/:id",status_code="200"} 1',
    'http_requests_total{method="DELETE",endpoint="/queue/orders/:id",status_code="500"} 1',
  ]);
});
