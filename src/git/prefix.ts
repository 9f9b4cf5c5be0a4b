/** `''`, `'.'`, `'./content/'` → `''`, `'content'`: the form both adapters compare paths against. */
export function normalizePrefix(prefix: string): string {
  let p = prefix.replace(/\\/g, '/');
  while (p.startsWith('./')) p = p.slice(2);
  p = p.replace(/\/+$/, '').replace(/^\/+/, '');
  return p === '.' ? '' : p;
}

/** True when `path` is the prefix itself or below it (on a folder boundary). */
export function isUnderPrefix(path: string, normalizedPrefix: string): boolean {
  if (normalizedPrefix === '') return true;
  return path === normalizedPrefix || (path.startsWith(normalizedPrefix) && path.charCodeAt(normalizedPrefix.length) === 47);
}
