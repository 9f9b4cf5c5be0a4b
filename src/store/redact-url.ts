/**
 * The one URL redaction: hides a password in `scheme://user:password@host` (and a `password=`
 * query parameter, which libpq URLs accept) so messages never print secrets. A user name alone
 * is kept for database URLs (a role, not a secret) but hidden for http(s), where it is a token.
 * Works on text that does not parse as a URL too (it is used in "not a valid URL" messages).
 */
export function redactUrl(url: string): string {
  return url
    .replace(/^(https?:\/\/)[^/@:]+@/i, '$1***@')
    .replace(/^([A-Za-z][A-Za-z0-9+.-]*:\/\/[^/@:]*):[^/@]*@/, '$1:***@')
    .replace(/([?&]password=)[^&#]*/gi, '$1***');
}
