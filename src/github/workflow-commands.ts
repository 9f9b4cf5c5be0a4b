// Workflow commands (`::name k=v::message`), escaped as the Actions runner unescapes them.

/** Escapes a command's message part. */
export function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Escapes a property value (also `:` and `,`, which separate properties). */
export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/**
 * One workflow command line, with a final newline.
 * @example workflowCommand('group', {}, 'Plan') // '::group::Plan\n'
 */
export function workflowCommand(name: string, props: Readonly<Record<string, string | number | undefined>>, message: string): string {
  const list = Object.entries(props)
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([k, v]) => `${k}=${escapeProperty(String(v))}`);
  return `::${name}${list.length ? ` ${list.join(',')}` : ''}::${escapeData(message)}\n`;
}
