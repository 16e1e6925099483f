// The browser hardening headers every response carries. Pages get a Content-Security-Policy with a
// fresh nonce per request; Next.js reads the nonce from the request's own CSP header (as its proxy
// would set it) and puts it on every script it renders, and 'strict-dynamic' lets those scripts
// load the chunks they need. JSON answers get a policy that allows nothing at all.
import { randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";

export const NONCE_HEADER = "x-nonce";

const COMMON = {
  "x-content-type-options": "nosniff",
  "referrer-policy": "strict-origin-when-cross-origin",
  // frame-ancestors is the rule; X-Frame-Options is for browsers that predate it.
  "x-frame-options": "DENY",
  "cross-origin-opener-policy": "same-origin",
  "permissions-policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
} as const;

const API_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/** The page policy for one nonce. Development adds what React's dev tools need (eval, injected styles). */
export function pagePolicy(nonce: string, options: { dev: boolean }): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${options.dev ? " 'unsafe-eval'" : ""}`,
    options.dev ? "style-src 'self' 'unsafe-inline'" : `style-src 'self' 'nonce-${nonce}'`,
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    // 'self' covers ws: and wss: to this host (socket.io, and Next's dev reload).
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/** Sets the API headers on a response that the JSON API (or better-auth) will answer. */
export function setApiHeaders(res: ServerResponse): void {
  for (const [name, value] of Object.entries(COMMON)) res.setHeader(name, value);
  res.setHeader("content-security-policy", API_POLICY);
}

/**
 * Sets the page headers on a response Next.js will answer, and hands the nonce to Next (the
 * request's CSP header) and to the layout (x-nonce, for scripts and styles of our own).
 */
export function setPageHeaders(req: IncomingMessage, res: ServerResponse, options: { dev: boolean }): void {
  const nonce = randomBytes(16).toString("base64");
  const policy = pagePolicy(nonce, options);
  req.headers["content-security-policy"] = policy;
  req.headers[NONCE_HEADER] = nonce;
  for (const [name, value] of Object.entries(COMMON)) res.setHeader(name, value);
  res.setHeader("content-security-policy", policy);
}
