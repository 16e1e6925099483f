// Rich text lives in a Y.Doc (one XmlFragment per richtext field) in TipTap's ProseMirror shape.
// The record's values and its history keep an HTML checkpoint of each field.
import { prosemirrorJSONToYXmlFragment, yXmlFragmentToProseMirrorRootNode } from "@tiptap/y-tiptap";
import * as Y from "yjs";
import { docToHtml, parseRichText } from "./html";
import { richTextSchema } from "./schema";

/** The field's content as HTML; an empty document is "". */
export function fragmentToHtml(doc: Y.Doc, field: string): string {
  const fragment = doc.getXmlFragment(field);
  if (fragment.length === 0) return "";
  return docToHtml(yXmlFragmentToProseMirrorRootNode(fragment, richTextSchema));
}

/** Replaces the field's content in `doc` (inside one transaction, so it is one update). */
export async function replaceFragment(doc: Y.Doc, field: string, value: string | null): Promise<void> {
  const json = value ? await parseRichText(value) : null;
  doc.transact(() => {
    const fragment = doc.getXmlFragment(field);
    if (fragment.length > 0) fragment.delete(0, fragment.length);
    if (json) prosemirrorJSONToYXmlFragment(richTextSchema, json, fragment);
  });
}
