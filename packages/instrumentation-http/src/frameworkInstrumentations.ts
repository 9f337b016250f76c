import type {
  InstrumentationModuleDefinition,
  InstrumentationNodeModuleDefinition,
} from '@opentelemetry/instrumentation';
import { ExpressInstrumentation } from '@opentelemetry/instrumentation-express';
import { KoaInstrumentation } from '@opentelemetry/instrumentation-koa';

/** An upstream framework instrumentation that says when it patches its framework. */
interface RouteReporter {
  readonly instrumentationName: string;
  /** The module definitions its require hooks use (`getModuleDefinitions()` builds new ones). */
  readonly definitions: readonly InstrumentationModuleDefinition[];
  /** Called before the framework is patched. */
  onPatch: (() => void) | undefined;
}

/**
 * `@opentelemetry/instrumentation-express`, unchanged but for {@link RouteReporter}. The base
 * constructor calls `init()` before field initializers run, hence `declare` and `??=`.
 */
export class ExpressRouteInstrumentation extends ExpressInstrumentation implements RouteReporter {
  declare private _definitions: InstrumentationModuleDefinition[] | undefined;
  declare onPatch: (() => void) | undefined;

  get definitions(): readonly InstrumentationModuleDefinition[] {
    return this._definitions ?? [];
  }

  override init(): InstrumentationNodeModuleDefinition[] {
    const definitions = super.init();
    this._definitions ??= announcingPatches(definitions, () => this.onPatch?.());
    return definitions;
  }
}

/** `@opentelemetry/instrumentation-koa`, unchanged but for {@link RouteReporter}. */
export class KoaRouteInstrumentation extends KoaInstrumentation implements RouteReporter {
  declare private _definitions: InstrumentationModuleDefinition[] | undefined;
  declare onPatch: (() => void) | undefined;

  get definitions(): readonly InstrumentationModuleDefinition[] {
    return this._definitions ?? [];
  }

  protected override init(): InstrumentationNodeModuleDefinition {
    const definition = super.init();
    this._definitions ??= announcingPatches([definition], () => this.onPatch?.());
    return definition;
  }
}

function announcingPatches(
  definitions: InstrumentationModuleDefinition[],
  announce: () => void,
): InstrumentationModuleDefinition[] {
  for (const definition of definitions) {
    const patch = definition.patch;
    if (patch === undefined) continue;
    definition.patch = (exports, version) => {
      announce();
      return patch(exports, version);
    };
  }
  return definitions;
}
