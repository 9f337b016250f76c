// Compiled with `experimentalDecorators` (tsconfig.legacy-decorators.json), as NestJS services are.
import { TelemetryConfigError } from '../src';
import { createTracker } from '../src/createTracker';
import { createLogger } from '../src/logger';

test('as a legacy decorator: instance and static methods tracked, name and this kept', async () => {
  const ends: string[] = [];
  const tracker = createTracker(
    'trackThing',
    { start: () => undefined, end: (_s, _seconds, outcome) => void ends.push(outcome.ok ? 'ok' : 'error') },
    createLogger('test'),
  );
  class Service {
    constructor(private readonly _base: number) {}

    @tracker
    add(n: number): number {
      return this._base + n;
    }

    @tracker
    async fail(): Promise<never> {
      throw new Error(`failed at ${this._base}`);
    }

    @tracker
    static create(): Service {
      return new Service(1);
    }
  }
  expect(Service.create().add(2)).toBe(3);
  await expect(new Service(7).fail()).rejects.toThrow('failed at 7');
  expect([Service.prototype.add.name, Service.prototype.add.length]).toEqual(['add', 1]);
  expect(ends).toEqual(['ok', 'ok', 'error']);
});

test('as a legacy decorator on an accessor: a TelemetryConfigError when the class is defined', () => {
  const tracker = createTracker('trackThing', { start: () => undefined, end: () => {} }, createLogger('test'));
  expect(() => {
    class Broken {
      @tracker
      get value(): number {
        return 1;
      }
    }
    return Broken;
  }).toThrow(new TelemetryConfigError('trackThing() target', 'value', 'a method (not a getter, setter or field)'));
});
