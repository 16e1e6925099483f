/**
 * What a typed link address becomes: http(s) and mailto only (a javascript: link would run code
 * for whoever clicks it); a bare "example.com/x" gets https://, an address with @ gets mailto:.
 * null when it is not an address.
 */
export function normalizeLinkUrl(text: string): string | null {
  const value = text.trim();
  if (value === "" || /\s/.test(value)) return null;
  if (/^(https?:\/\/)[^/\s]+\.[^/\s]+/i.test(value) || /^https?:\/\/localhost(?::\d+)?(?:\/|$)/i.test(value)) return value;
  if (/^mailto:[^@\s]+@[^@\s]+\.[^@\s]+$/i.test(value)) return value;
  if (/^[a-z][a-z0-9+.-]*:/i.test(value)) return null;
  if (/^[^@\s/]+@[^@\s/]+\.[^@\s/]+$/.test(value)) return `mailto:${value}`;
  if (/^[^/\s]+\.[a-z]{2,}(?:[/?#:]|$)/i.test(value)) return `https://${value}`;
  return null;
}
