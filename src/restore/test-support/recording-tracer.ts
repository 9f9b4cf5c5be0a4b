import type { Attributes, Context, Span, SpanOptions, SpanStatus, Tracer } from '@opentelemetry/api';
import { trace } from '@opentelemetry/api';

/** A recording tracer: the spans started, with parent, attributes, status and whether they ended. */
export function recordingTracer() {
  const spans: { name: string; parent?: string; attributes: Attributes; status?: SpanStatus; ended: boolean }[] = [];
  const tracer: Tracer = {
    startSpan(name: string, options?: SpanOptions, ctx?: Context): Span {
      const parentSpan = ctx ? trace.getSpan(ctx) : undefined;
      const rec = { name, parent: parentSpan ? (parentSpan as unknown as { recordName: string }).recordName : undefined, attributes: { ...options?.attributes }, ended: false } as (typeof spans)[number];
      spans.push(rec);
      const span = {
        recordName: name,
        spanContext: () => ({ traceId: '0'.repeat(31) + '1', spanId: String(spans.length).padStart(16, '0'), traceFlags: 1 }),
        setAttribute: () => span,
        setAttributes: () => span,
        addEvent: () => span,
        addLink: () => span,
        addLinks: () => span,
        setStatus: (s: SpanStatus) => ((rec.status = s), span),
        updateName: () => span,
        end: () => void (rec.ended = true),
        isRecording: () => true,
        recordException: () => undefined,
      };
      return span as unknown as Span;
    },
    startActiveSpan: (() => {
      throw new Error('not used');
    }) as Tracer['startActiveSpan'],
  };
  return { tracer, spans };
}

