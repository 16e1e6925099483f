// Rich text (the HTML TipTap's schema produces) as plain text, for places that show words, not
// formatting: word diffs in history, the merge dialog, table cells. No DOM, so it runs anywhere.

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: "\u00a0", "#39": "'" };
const BLOCK_END = /<\/(p|h[1-6]|li|blockquote|pre)>|<br\s*\/?>|<hr\s*\/?>/gi;

/** Blocks become lines, list items keep a bullet, tags go, entities are decoded. */
export function richTextToPlain(html: string | null): string {
  if (!html) return "";
  return html
    .replace(/<li[^>]*>/gi, "• ")
    .replace(BLOCK_END, "\n")
    .replace(/<[^>]*>/g, "")
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
      if (name[0] === "#") {
        const code = name[1] === "x" || name[1] === "X" ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
        return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
      }
      return ENTITIES[name.toLowerCase()] ?? whole;
    })
    .replace(/\n{2,}/g, "\n")
    .replace(/\n$/, "");
}
