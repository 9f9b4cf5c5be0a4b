/**
 * OpenTelemetry spans of a deployment's phases (read, validate, plan, resolve, apply, commit) under one
 * `ferry.deploy` span, through @opentelemetry/api: a no-op unless the program that runs Ferry
 * registers an SDK (the standard OTEL_* variables configure its exporter). Parents are passed
 * explicitly, so the tree is right with or without a context manager.
 */
import { SpanStatusCode, context, trace, type Attributes, type Span, type Tracer } from '@opentelemetry/api';
import { VERSION } from '../version.js';

/** Runs `fn` as a child span named `name` of the deployment. */
export type PhaseRunner = <T>(name: string, fn: () => Promise<T>) => Promise<T>;

export interface DeploymentTrace {
  phase: PhaseRunner;
  /** Ends the deployment span, as an error when `error` is given. */
  end(error?: unknown): void;
}

export function traceDeployment(tracer: Tracer | undefined, attributes: Attributes): DeploymentTrace {
  const t = tracer ?? trace.getTracer('ferry', VERSION);
  const root = t.startSpan('ferry.deploy', { attributes });
  const parent = trace.setSpan(context.active(), root);
  const fail = (span: Span, e: unknown) => span.setStatus({ code: SpanStatusCode.ERROR, message: e instanceof Error ? e.message : String(e) });
  return {
    async phase(name, fn) {
      const span = t.startSpan(name, {}, parent);
      try {
        return await fn();
      } catch (e) {
        fail(span, e);
        throw e;
      } finally {
        span.end();
      }
    },
    end(error) {
      if (error !== undefined) fail(root, error);
      root.end();
    },
  };
}

/** Without a trace: runs the phase as it is. */
export const untraced: PhaseRunner = (_name, fn) => fn();
