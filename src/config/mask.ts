/**
 * Replaces every occurrence of every secret in `text` with `***`. Longer secrets are replaced
 * first, so a secret that contains another is masked whole.
 *
 * @example maskSecrets('token=abc123', ['abc123']) // 'token=***'
 */
export function maskSecrets(text: string, secrets: readonly string[]): string {
  const ordered = [...new Set(secrets)].filter((s) => s.length > 0).sort((a, b) => b.length - a.length);
  let out = text;
  for (const secret of ordered) {
    if (out.includes(secret)) out = out.split(secret).join('***');
  }
  return out;
}
