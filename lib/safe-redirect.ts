// Where to go after sign-in (rules G1–G3 in lib/SPEC.md). A `next` parameter comes from the
// address bar, so anyone can craft it: only a path on this site is ever followed.

/** An origin no real site has: resolving against it tells whether a value leaves the site. */
const SENTINEL = "http://tandem.invalid";

/**
 * The same-site path to follow for `next`, or "/" when it is not one. The value is resolved the
 * way a browser resolves it (backslashes as slashes, tabs and newlines dropped, controls and
 * spaces trimmed), and what is returned is the normalized path that was checked, not the input.
 */
export function safeRedirectPath(next: unknown): string {
  if (typeof next !== "string" || next === "") return "/";
  let url: URL;
  try {
    url = new URL(next, `${SENTINEL}/`);
  } catch {
    return "/";
  }
  if (url.origin !== SENTINEL) return "/";
  // "/.//evil" resolves to the path "//evil", which a browser would read as another host.
  if (!url.pathname.startsWith("/") || url.pathname.startsWith("//")) return "/";
  return `${url.pathname}${url.search}${url.hash}`;
}
