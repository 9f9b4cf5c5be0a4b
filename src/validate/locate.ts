import { locatePointer } from '../format/positions.js';
import type { Diagnostic } from '../model/diagnostic.js';

/**
 * Gives diagnostics without a line the line and column of their pointer, reading each file's text
 * once and only for files with findings. The position is the key's (a pointer to something
 * absent, such as a missing required field, gives the nearest existing key).
 */
export function locateDiagnostics(diagnostics: Diagnostic[], sourceText: ((path: string) => string | undefined) | undefined): Diagnostic[] {
  if (!sourceText) return diagnostics;
  const texts = new Map<string, string | undefined>();
  return diagnostics.map((d) => {
    if (d.file === undefined || d.pointer === undefined || d.line !== undefined) return d;
    if (!texts.has(d.file)) texts.set(d.file, sourceText(d.file));
    const text = texts.get(d.file);
    if (text === undefined) return d;
    const pos = locatePointer(text, d.pointer, { key: true });
    return pos ? { ...d, line: pos.line, column: pos.column } : d;
  });
}
