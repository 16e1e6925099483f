// Rich text lives in a Y.Doc (one XmlFragment per richtext field) in TipTap's ProseMirror shape.
// The record's values and its history keep an HTML checkpoint of each field.
import { getSchema } from "@tiptap/core";
import { prosemirrorJSONToYXmlFragment, yXmlFragmentToProseMirrorRootNode } from "@tiptap/y-tiptap";
import * as Y from "yjs";
import { jsonToHtml, richTextExtensions, toProseMirrorJson } from "./rich-text-html";

const schema = getSchema(richTextExtensions);

/** The field's content as HTML; an empty document is "". */
export function fragmentToHtml(doc: Y.Doc, field: string): string {
  const fragment = doc.getXmlFragment(field);
  if (fragment.length === 0) return "";
  return jsonToHtml(yXmlFragmentToProseMirrorRootNode(fragment, schema).toJSON());
}

/** Replaces the field's content in `doc` (inside one transaction, so it is one update). */
export function replaceFragment(doc: Y.Doc, field: string, value: string | null): void {
  doc.transact(() => {
    const fragment = doc.getXmlFragment(field);
    if (fragment.length > 0) fragment.delete(0, fragment.length);
    if (value) prosemirrorJSONToYXmlFragment(schema, toProseMirrorJson(value), fragment);
  });
}
