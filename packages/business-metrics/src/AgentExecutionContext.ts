import { AsyncLocalStorage } from 'node:async_hooks';
import type { TokenCounts } from './types';
import { addUsage } from './usage';

/**
 * What the recorded LLM calls (`trackLlmCall`, the SDK instrumentations) of one agent execution
 * reported: the models they used and their token usage per model. It lets `trackAgentExecution`
 * record the calls' exact usage, and price a result that carries usage but no model.
 */
export class AgentExecutionContext {
  readonly usageByModel = new Map<string, TokenCounts>();
  private readonly _models = new Set<string>();
  private _closed = false;

  /** Adds one call (failed calls may have spent tokens too). Calls that finish after the execution are ignored. */
  addCall(model: string, usage: TokenCounts | undefined): void {
    if (this._closed) return;
    this._models.add(model);
    if (usage === undefined) return;
    const sum = this.usageByModel.get(model);
    this.usageByModel.set(model, sum === undefined ? usage : addUsage(sum, usage));
  }

  /** Stops taking calls: the execution has ended. */
  close(): void {
    this._closed = true;
  }

  /** The model of the calls, when they all used one model. */
  soleModel(): string | undefined {
    if (this._models.size !== 1) return undefined;
    const [model] = this._models;
    return model;
  }
}

/** The agent execution the current async flow belongs to, if any. */
export const currentAgentExecution = new AsyncLocalStorage<AgentExecutionContext>();
