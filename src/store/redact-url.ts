/**
 * Hides a password in `scheme://user:password@host` (and a `password=` query parameter, which
 * libpq URLs accept) so messages never print secrets.
 */
export function redactUrl(url: string): string {
  return url.replace(/^([A-Za-z][A-Za-z0-9+.-]*:\/\/[^/@:]*):[^/@]*@/, '$1:***@').replace(/([?&]password=)[^&#]*/gi, '$1***');
}
