// The renderer's Content Security Policy: only its own bundle, no inline code, no remote content.
// Used as a <meta> in the built page and as a header by the Electron app protocol and the UI server.
export const RENDERER_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "object-src 'none'",
].join('; ');

/** As a header, the policy also forbids framing (ignored, with a warning, in a <meta>). */
export const RENDERER_CSP_HEADER = `${RENDERER_CSP}; frame-ancestors 'none'`;
