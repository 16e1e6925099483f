// Rich text as HTML in TipTap's schema, with no Yjs import (route handlers use this; the Y.Doc
// side lives in rich-text.ts and runs only in the custom server).
import { generateHTML, generateJSON } from "@tiptap/html/server";
import StarterKit from "@tiptap/starter-kit";

// The same document schema the browser editor uses (StarterKit; history is handled by Yjs).
export const richTextExtensions = [StarterKit.configure({ undoRedo: false })];

/** Plain text or HTML into a ProseMirror document (plain text lines become paragraphs). */
export function toProseMirrorJson(value: string) {
  const looksLikeHtml = /<\/?[a-z][\s\S]*>/i.test(value);
  const html = looksLikeHtml
    ? value
    : value
        .split("\n")
        .map((line) => `<p>${line.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")}</p>`)
        .join("");
  return generateJSON(html, richTextExtensions);
}

export function jsonToHtml(json: Parameters<typeof generateHTML>[0]): string {
  const html = generateHTML(json, richTextExtensions);
  return html === "<p></p>" ? "" : html;
}

/** The HTML the editor would produce for this value, so stored values compare equal to the live doc. */
export function normalizeRichText(value: string | null): string | null {
  if (!value) return value;
  return jsonToHtml(toProseMirrorJson(value));
}
