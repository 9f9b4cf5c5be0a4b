/**
 * The one JSON envelope every command prints with `--format json`: `status` first, then the
 * command's document (schemas/output/<command>.schema.json), two-space indented, final newline.
 */
export type EnvelopeStatus = 'ok' | 'no_changes' | 'error';

export function renderJsonEnvelope(status: EnvelopeStatus, body: object = {}): string {
  return `${JSON.stringify({ status, ...body }, null, 2)}\n`;
}

/** The envelope of a failed command: `{ status: 'error', error: { code, message, hint, … } }`. */
export function renderErrorEnvelope(error: Readonly<Record<string, unknown>> & { code: string; message: string; hint: string }): string {
  return renderJsonEnvelope('error', { error });
}
