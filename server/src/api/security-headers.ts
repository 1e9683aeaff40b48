import { createHash } from 'node:crypto';
import helmet from 'helmet';

/**
 * The one `<style>` element the console creates: Cytoscape prepends it to `<head>` when the
 * lineage graph mounts (cytoscape's BaseRenderer init). Allowed by its hash, so style-src needs
 * no 'unsafe-inline'; if a Cytoscape upgrade changes the text, the console e2e test reports the
 * violation.
 */
const CYTOSCAPE_STYLESHEET = '.__________cytoscape_container { position: relative; }';
const CYTOSCAPE_STYLESHEET_HASH = `'sha256-${createHash('sha256').update(CYTOSCAPE_STYLESHEET).digest('base64')}'`;

/**
 * The Content-Security-Policy of every response. The console is a Vite build: module scripts
 * and stylesheets from its own origin, no inline script, one known `<style>` (above); Vue's and
 * Cytoscape's style bindings go through the CSSOM, which CSP does not restrict. The favicon is
 * a data: URI; the live view's WebSocket goes to the same origin (`'self'` covers ws: and wss:).
 * No `upgrade-insecure-requests`: `weir dev` serves plain http on localhost.
 */
export const CONTENT_SECURITY_POLICY = {
  'default-src': ["'self'"],
  'script-src': ["'self'"],
  'script-src-attr': ["'none'"],
  'style-src': ["'self'", CYTOSCAPE_STYLESHEET_HASH],
  'img-src': ["'self'", 'data:'],
  'font-src': ["'self'", 'data:'],
  'connect-src': ["'self'"],
  'object-src': ["'none'"],
  'base-uri': ["'none'"],
  'form-action': ["'self'"],
  'frame-ancestors': ["'none'"],
} as const;

/**
 * helmet with Weir's choices: the CSP above, X-Frame-Options DENY (with `frame-ancestors 'none'`:
 * the console is never framed, so no clickjacking), nosniff, no X-Powered-By, no referrer
 * (links leave the console without its URLs, which name runs and assets). HSTS stays on: browsers
 * honour it only over https, where a console should stay on https.
 */
export function securityHeaders() {
  return helmet({
    contentSecurityPolicy: { useDefaults: false, directives: CONTENT_SECURITY_POLICY },
    xFrameOptions: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
    strictTransportSecurity: { maxAge: 31_536_000, includeSubDomains: false },
  });
}
