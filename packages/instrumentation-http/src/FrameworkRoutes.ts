import { cachedModule, NOOP_METER_PROVIDER, patchLoadedModules } from '@agent-telemetry/core/instrumentation-support';
import type { InstrumentationModuleDefinition } from '@opentelemetry/instrumentation';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { logger } from './logger';
import { ExpressRouteInstrumentation, KoaRouteInstrumentation } from './frameworkInstrumentations';
import { kRequestState, type TrackedRequest } from './internal-types';
import { installContextManager } from './tracingContext';
import type { FrameworkModules } from './types';

const FASTIFY_INIT_CHANNEL = 'fastify.initialization';

/** The parts of a Fastify instance and request used here (Fastify is not a dependency). */
interface FastifyInstance {
  addHook(name: 'onRequest', hook: (request: FastifyRequest, reply: unknown, done: () => void) => void): unknown;
}
interface FastifyRequest {
  readonly raw: TrackedRequest;
  readonly is404?: boolean;
  readonly routeOptions?: { readonly url?: string };
}

/**
 * Gets each request's route template from the framework that served it.
 *
 * Express and Koa: their OTel instrumentations write the matched route into the RPC metadata of
 * the request's context, which the HTTP instrumentation creates. That context must follow the
 * request through callbacks and promises, so the first time Express or Koa is loaded, an
 * AsyncLocalStorage context manager is registered (unless the service has one) and incoming
 * requests get their context from then on. Services on plain `http` pay for neither.
 *
 * Fastify: its `fastify.initialization` diagnostics channel hands over each new instance, which
 * gets an `onRequest` hook reading `request.routeOptions.url`.
 */
export class FrameworkRoutes {
  private readonly _instrumentations = [
    new ExpressRouteInstrumentation({ enabled: false }),
    new KoaRouteInstrumentation({ enabled: false }),
  ];
  private readonly _patchedByHand: Array<() => void> = [];
  private _needsContext = false;
  private _uninstallContext: (() => void) | undefined;
  // Node rethrows a channel subscriber's exception as an uncaught one, which would crash the host.
  private readonly _onFastify = (message: unknown): void => {
    try {
      (message as { fastify: FastifyInstance }).fastify.addHook('onRequest', recordFastifyRoute);
    } catch (err) {
      logger.reportOnce(
        'fastify',
        'could not hook into a Fastify instance: its requests are recorded without their route template',
        err,
      );
    }
  };

  constructor(private readonly _modules: FrameworkModules) {
    for (const instrumentation of this._instrumentations) {
      // Their own metrics would duplicate the catalogue's (Express and Koa record none today).
      instrumentation.setMeterProvider(NOOP_METER_PROVIDER);
      instrumentation.onPatch = () => this._useRequestContext();
    }
  }

  /** Whether requests need an OTel context for a framework to report their route. */
  get needsContext(): boolean {
    return this._needsContext;
  }

  /**
   * Patches the frameworks, including those loaded before now. Returns the names of the ones that
   * were loaded before: routes they registered already are not reported.
   */
  enable(): string[] {
    subscribe(FASTIFY_INIT_CHANNEL, this._onFastify);
    const loadedBefore: string[] = [];
    for (const instrumentation of this._instrumentations) {
      instrumentation.enable();
      const found: InstrumentationModuleDefinition[] = [];
      for (const definition of instrumentation.definitions) {
        const given = this._modules[definition.name as keyof FrameworkModules];
        if (given !== undefined) this._patchByHand(definition, given);
        else found.push(definition);
      }
      loadedBefore.push(...patchLoadedModules(instrumentation, found, loadedModule, logger));
    }
    if (loadedModule('fastify')?.loaded === true) loadedBefore.push('fastify');
    return loadedBefore;
  }

  disable(): void {
    unsubscribe(FASTIFY_INIT_CHANNEL, this._onFastify);
    for (const instrumentation of this._instrumentations) instrumentation.disable();
    for (const unpatch of this._patchedByHand.splice(0)) unpatch();
    this._uninstallContext?.();
    this._uninstallContext = undefined;
    this._needsContext = false;
  }

  private _patchByHand(definition: InstrumentationModuleDefinition, exports: unknown): void {
    definition.patch?.(exports);
    this._patchedByHand.push(() => definition.unpatch?.(exports));
  }

  private _useRequestContext(): void {
    if (this._needsContext) return;
    this._needsContext = true;
    this._uninstallContext = installContextManager();
  }
}

/** Fastify's `onRequest` hook: an exception here would fail the request, so none gets out. */
function recordFastifyRoute(request: FastifyRequest, _reply: unknown, done: () => void): void {
  try {
    const state = request.raw[kRequestState];
    if (state != null && request.is404 !== true) state.route = request.routeOptions?.url;
  } catch (err) {
    logger.reportOnce('fastify-route', 'failed to read the route of a Fastify request', err);
  }
  done();
}

/** The cache entry of a package the service (or this package's resolution of it) loaded, or began to. */
function loadedModule(name: string) {
  return cachedModule(name, process.cwd(), __dirname);
}
