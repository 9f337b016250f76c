import { cachedModule, patchLoadedModules } from '@agent-telemetry/core/instrumentation-support';
import {
  InstrumentationBase,
  InstrumentationNodeModuleDefinition,
  isWrapped,
  type InstrumentationConfig,
  type InstrumentationModuleDefinition,
} from '@opentelemetry/instrumentation';
import type { CallSink } from './internal-types';
import { logger } from './logger';
import { patchCall, type SdkMethod, type SinkHost } from './patchCall';
import { describeAnthropicMessage, describeOpenAiCall, describeOpenAiEmbeddings, OPENAI_READERS } from './requests';
import type { LlmTelemetryOptions } from './types';
import { PACKAGE_NAME, PACKAGE_VERSION } from './version';

// The versions tested; the require hook patches no other (a module loaded before enable() is
// patched without this check, as the other instrumentations do).
const OPENAI_VERSIONS = ['>=7 <8'];
const ANTHROPIC_VERSIONS = ['>=1 <2'];

type Prototype = Record<string, unknown>;

/** One method to patch: where it is, from the module's exports. */
interface Target {
  readonly name: string;
  prototype(exports: unknown): Prototype | undefined;
  readonly method: string;
  readonly wrapper: (original: SdkMethod) => SdkMethod;
}

/**
 * Patches the `openai` and `@anthropic-ai/sdk` clients on require (and, once enabled, the
 * copies loaded before): `chat.completions.create`, `responses.create`, `embeddings.create`,
 * `messages.create` and `messages.stream`, on their resource classes' prototypes, so every
 * client instance is covered. The helpers built on them (`chat.completions.stream()`,
 * `responses.stream()`, `.parse()`, `messages.parse()`) go through these methods and are
 * recorded once.
 */
export class LlmInstrumentation
  extends InstrumentationBase<InstrumentationConfig & LlmTelemetryOptions>
  implements SinkHost
{
  private _sink: CallSink | undefined;
  /** The caller's signal of the `messages.stream()` call running now (see `describeAnthropicMessage`). */
  private _streamSignal: AbortSignal | undefined;
  /** Set by `init()`, which the base constructor calls before field initializers run. */
  declare private _definitions: InstrumentationModuleDefinition[] | undefined;

  constructor(options: LlmTelemetryOptions = {}) {
    // Created disabled: `enableSink()` patches once there is somewhere to record.
    super(PACKAGE_NAME, PACKAGE_VERSION, { ...options, enabled: false });
  }

  get sink(): CallSink | undefined {
    return this._sink;
  }

  /** Patches the SDKs (if not yet) and records into `sink` from now on. */
  enableSink(sink: CallSink): void {
    this._sink = sink;
    this.enable();
  }

  override enable(): void {
    super.enable();
    patchLoadedModules(this, this._definitions ?? [], (name) => cachedModule(name, process.cwd(), __dirname), logger);
  }

  override disable(): void {
    super.disable();
    this._sink = undefined;
  }

  protected override init(): InstrumentationModuleDefinition[] {
    const definitions: InstrumentationModuleDefinition[] = [];
    if (this.getConfig().openai !== false) {
      definitions.push(this._definition('openai', OPENAI_VERSIONS, this._openAiTargets()));
    }
    if (this.getConfig().anthropic !== false) {
      definitions.push(this._definition('@anthropic-ai/sdk', ANTHROPIC_VERSIONS, this._anthropicTargets()));
    }
    this._definitions ??= definitions;
    return definitions;
  }

  private _definition(name: string, versions: string[], targets: readonly Target[]): InstrumentationModuleDefinition {
    return new InstrumentationNodeModuleDefinition(
      name,
      versions,
      (exports: unknown) => {
        for (const target of targets) {
          const prototype = target.prototype(exports);
          if (prototype === undefined || typeof prototype[target.method] !== 'function') {
            logger.warn(`${name}: ${target.name} not found; its calls are not recorded`);
            continue;
          }
          if (isWrapped(prototype[target.method])) continue;
          logger.debug(`patching ${name} ${target.name}`);
          this._wrap(prototype, target.method, target.wrapper as never);
        }
        return exports;
      },
      (exports: unknown) => {
        for (const target of targets) {
          const prototype = target.prototype(exports);
          if (prototype !== undefined && isWrapped(prototype[target.method])) this._unwrap(prototype, target.method);
        }
      },
    );
  }

  private _openAiTargets(): Target[] {
    const includeUsage = this.getConfig().openaiStreamUsage === true;
    const client = (exports: unknown) => classOf(exports, 'OpenAI');
    return [
      {
        name: 'chat.completions.create',
        prototype: (exports) => prototypeOf(client(exports), 'Chat', 'Completions'),
        method: 'create',
        wrapper: patchCall(this, describeOpenAiCall(OPENAI_READERS.chat, includeUsage)),
      },
      {
        name: 'responses.create',
        prototype: (exports) => prototypeOf(client(exports), 'Responses'),
        method: 'create',
        wrapper: patchCall(this, describeOpenAiCall(OPENAI_READERS.responses, includeUsage)),
      },
      {
        name: 'embeddings.create',
        prototype: (exports) => prototypeOf(client(exports), 'Embeddings'),
        method: 'create',
        wrapper: patchCall(this, describeOpenAiEmbeddings),
      },
    ];
  }

  private _anthropicTargets(): Target[] {
    const messages = (exports: unknown) => prototypeOf(classOf(exports, 'Anthropic'), 'Messages');
    const setStreamSignal = (signal: AbortSignal | undefined): void => {
      this._streamSignal = signal;
    };
    const takeStreamSignal = (): AbortSignal | undefined => {
      const signal = this._streamSignal;
      this._streamSignal = undefined;
      return signal;
    };
    return [
      {
        name: 'messages.create',
        prototype: messages,
        method: 'create',
        wrapper: patchCall(this, describeAnthropicMessage(takeStreamSignal)),
      },
      {
        name: 'messages.stream',
        prototype: messages,
        method: 'stream',
        // `messages.stream()` calls `messages.create()` synchronously, which takes the signal.
        wrapper: (original) =>
          function stream(this: unknown, ...args: unknown[]) {
            const options = args[1] as { signal?: unknown } | undefined;
            setStreamSignal(options?.signal instanceof AbortSignal ? options.signal : undefined);
            try {
              return original.apply(this, args);
            } finally {
              setStreamSignal(undefined);
            }
          },
      },
    ];
  }
}

/** The client class among a module's exports (CommonJS, or an ES module namespace). */
function classOf(exports: unknown, name: string): unknown {
  const module = exports as Record<string, unknown> | null;
  return module?.[name] ?? (module?.['default'] as Record<string, unknown> | undefined)?.[name] ?? module?.['default'];
}

/** The prototype of a resource class, reached through the client class's static properties. */
function prototypeOf(start: unknown, ...path: string[]): Prototype | undefined {
  let current = start as Record<string, unknown> | undefined;
  for (const key of path) current = current?.[key] as Record<string, unknown> | undefined;
  const prototype = (current as { prototype?: unknown } | undefined)?.prototype;
  return typeof prototype === 'object' && prototype !== null ? (prototype as Prototype) : undefined;
}
