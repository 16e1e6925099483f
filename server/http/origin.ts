// Who is asking: the app's own pages, a script, or another site. A browser names the page that
// made a request in `Origin` (and, without it, says how it relates in `Sec-Fetch-Site`); the
// session cookie is SameSite=Lax, which another port of the same host still receives, so a
// state-changing request is only honoured from the app's own origin. Scripts (curl, tests, other
// servers) send neither header and are not a browser's ambient-credential risk.

const STATE_CHANGING = new Set(["POST", "PUT", "PATCH", "DELETE"]);

// A host name, an IPv4 address or a bracketed IPv6 address, and an optional port.
const HOST_PATTERN = /^(?:\[[0-9a-f:.]+\]|[a-z0-9._~-]+)(?::(\d{1,5}))?$/i;

/** Whether a Host header names a host (with an optional port) and nothing else. */
export function isValidHost(host: string | undefined): boolean {
  if (host === undefined) return true; // HTTP/1.0 has none; Node refuses its absence in HTTP/1.1
  const match = HOST_PATTERN.exec(host);
  if (!match || (match[1] !== undefined && Number(match[1]) > 65535)) return false;
  try {
    new URL(`http://${host}`);
    return true;
  } catch {
    return false;
  }
}

export type RequestSource = {
  method: string;
  origin: string | undefined;
  secFetchSite: string | undefined;
  host: string | undefined;
};

/**
 * Whether `origin` is the app's own: BETTER_AUTH_URL's origin when it is set, otherwise the host
 * the request was sent to (any port, scheme as the page used it).
 */
export function isOwnOrigin(origin: string, host: string | undefined, baseUrl: string | undefined): boolean {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false; // "null" (sandboxed frames, data: pages, some redirects) and garbage alike
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return false;
  if (url.origin !== origin.toLowerCase().replace(/\/$/, "")) return false;
  if (baseUrl) return url.origin === new URL(baseUrl).origin;
  if (!host || !isValidHost(host)) return false;
  // Through URL, so that "example.test:443" and "example.test" compare equal on https.
  return url.host === new URL(`${url.protocol}//${host}`).host;
}

/**
 * Whether a request may go on: reads always; a state-changing one when it comes from the app's
 * own origin, or when it names no browser context at all (a script).
 */
export function isAllowedSource(source: RequestSource, baseUrl: string | undefined): boolean {
  if (!STATE_CHANGING.has(source.method.toUpperCase())) return true;
  return isAllowedContext(source, baseUrl);
}

/** The origin rule without the method: for the socket handshake, where every request counts. */
export function isAllowedContext(source: Omit<RequestSource, "method">, baseUrl: string | undefined): boolean {
  if (source.origin !== undefined) return isOwnOrigin(source.origin, source.host, baseUrl);
  if (source.secFetchSite !== undefined) return source.secFetchSite === "same-origin" || source.secFetchSite === "none";
  return true;
}

type HeaderBag = Record<string, string | string[] | undefined>;

const single = (value: string | string[] | undefined) => (Array.isArray(value) ? value.join(", ") : value);

/** The parts of a node request the rules read. */
export function sourceOf(req: { method?: string; headers: HeaderBag }): RequestSource {
  return {
    method: req.method ?? "GET",
    origin: single(req.headers.origin),
    secFetchSite: single(req.headers["sec-fetch-site"])?.toLowerCase(),
    host: single(req.headers.host),
  };
}
