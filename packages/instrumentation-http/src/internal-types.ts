import type { RPCMetadata } from '@opentelemetry/core';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/** On an `IncomingMessage`: its {@link RequestState}, or null when the request is not recorded. */
export const kRequestState = Symbol('agent-telemetry.http.requestState');
/** On a server-side socket: the recorded requests on it whose response is not complete yet. */
export const kOpenRequests = Symbol('agent-telemetry.http.openRequests');

/** What is known about one incoming request between its start and its end. */
export interface RequestState {
  readonly request: IncomingMessage;
  /** The request path without query string. */
  readonly path: string;
  /** `performance.now()` when the request reached the server. */
  readonly startTime: number;
  readonly socket: TrackedSocket;
  /** Route template reported directly by a framework hook (Fastify). */
  route: string | undefined;
  /** OTel's RPC metadata of the request's context: Express and Koa write `route` into it. */
  rpc: RPCMetadata | undefined;
  /** Body bytes received, counted only when there is no `content-length`. */
  requestBytes: number;
  /** Body bytes written by the handler. */
  responseBytes: number;
  done: boolean;
}

export type TrackedRequest = IncomingMessage & { [kRequestState]?: RequestState | null };
export type TrackedResponse = ServerResponse & { req: TrackedRequest };
export type TrackedSocket = Socket & { [kOpenRequests]?: Set<RequestState> };
