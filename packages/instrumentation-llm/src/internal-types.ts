import type { LlmCallRecord } from '@agent-telemetry/business-metrics';

/** The GenAI semantic-convention operation (`gen_ai.operation.name`). */
export type GenAiOperation = 'chat' | 'embeddings';

/** Where a finished call goes: the catalogue metrics (through a collector) and the GenAI histograms. */
export interface CallSink {
  record(call: LlmCallRecord, operation: GenAiOperation): void;
}

/** What a provider's stream reader reports while the caller reads a stream. */
export interface StreamProgress {
  /** The first generated token (text, reasoning, a tool call) arrived. */
  firstToken(): void;
  /** The usage the stream reported so far (the latest report wins). */
  usage(usage: object): void;
  /** The model the stream names. */
  responseModel(model: unknown): void;
  /** The stream's final event arrived: it was not cut. */
  completed(): void;
  /** The stream reported a failure of its own (e.g. `response.failed`). */
  failed(error: unknown): void;
}

/** Reads one provider's stream events; one instance per stream (it may keep state). */
export type StreamReader = (event: unknown, progress: StreamProgress) => void;
