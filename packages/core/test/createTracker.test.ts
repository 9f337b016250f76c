import { TelemetryConfigError } from '../src';
import { createTracker, type Outcome } from '../src/createTracker';
import { createLogger } from '../src/logger';
import { captureDiag } from '../../../test-support/diag';

/** A tracker that writes down what it sees, for checking what the helper passes its hooks. */
function recordingTracker(name = 'track') {
  const calls: Array<{ args: readonly unknown[]; outcome: Outcome; seconds: number }> = [];
  const tracker = createTracker(
    name,
    {
      start: (args) => args,
      end: (args, seconds, outcome) => void calls.push({ args, outcome, seconds }),
    },
    createLogger('test'),
  );
  return { tracker, calls };
}

describe('the one wrap-and-time helper', () => {
  test('a wrapped function keeps its name, length, this, arguments and return value; sync stays sync', () => {
    const { tracker, calls } = recordingTracker();
    const result = { id: 1 };
    const receiver = {
      factor: 2,
      scale: tracker(function scale(this: { factor: number }, n: number, _unit?: string) {
        return n * this.factor === 8 ? result : undefined;
      }),
    };
    expect([receiver.scale.name, receiver.scale.length]).toEqual(['scale', 2]);
    expect(receiver.scale(4)).toBe(result);
    expect(calls).toEqual([{ args: [4], outcome: { ok: true, value: result }, seconds: expect.any(Number) }]);
  });

  test('a thrown error reaches the caller as the same object, and is the outcome', () => {
    const { tracker, calls } = recordingTracker();
    const failure = new Error('boom');
    expect(() =>
      tracker(() => {
        throw failure;
      })(),
    ).toThrow(failure);
    expect(calls[0]!.outcome).toEqual({ ok: false, error: failure });
  });

  test('a promise is returned itself and observed; its rejection reaches the caller unchanged', async () => {
    const { tracker, calls } = recordingTracker();
    const failure = new Error('later');
    const pending = Promise.reject(failure);
    const returned = tracker(() => pending)();
    expect(returned).toBe(pending);
    await expect(returned).rejects.toBe(failure);
    expect(calls[0]!.outcome).toEqual({ ok: false, error: failure });

    class APIPromise<T> extends Promise<T> {}
    const subclass = APIPromise.resolve(5);
    expect(tracker(() => subclass)()).toBe(subclass);
    await subclass;
    expect(calls[1]!.outcome).toEqual({ ok: true, value: 5 });
  });

  test('a thenable that is not a promise is a value: its then is never called', () => {
    const { tracker, calls } = recordingTracker();
    const then = jest.fn();
    const builder = { then };
    expect(tracker(() => builder)()).toBe(builder);
    expect(then).not.toHaveBeenCalled();
    expect(calls[0]!.outcome).toEqual({ ok: true, value: builder });
  });

  test('a hook that throws is reported once; the call goes on as if untracked', () => {
    const diag = captureDiag();
    try {
      const tracker = createTracker(
        'brokenTracker',
        {
          start: () => {
            throw new Error('start failed');
          },
          end: () => {},
        },
        createLogger('test'),
      );
      const double = tracker((n: number) => n * 2);
      expect([double(1), double(2)]).toEqual([2, 4]);
      expect(diag.errors.filter((line) => line.includes('brokenTracker: tracking failed'))).toHaveLength(1);
    } finally {
      diag.stop();
    }
  });

  test('as a standard decorator: methods only, the rest a TelemetryConfigError when the class is defined', () => {
    const { tracker, calls } = recordingTracker('trackThing');
    class Service {
      constructor(private readonly _base: number) {}

      @tracker
      add(n: number): number {
        return this._base + n;
      }
    }
    expect(new Service(40).add(2)).toBe(42);
    expect(Service.prototype.add.name).toBe('add');
    expect(calls).toHaveLength(1);
    expect(() => {
      class Broken {
        // @ts-expect-error a getter is not a method
        @tracker get value() {
          return 1;
        }
      }
      return Broken;
    }).toThrow(new TelemetryConfigError('trackThing() target', 'getter', 'a method (not a getter, setter or field)'));
    expect(() => tracker(42 as never)).toThrow(new TelemetryConfigError('trackThing() target', '42', 'a function'));
  });
});
