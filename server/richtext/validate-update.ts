// What a Yjs update may contain in a record's live document: only the record's rich-text
// fragments, holding only what TipTap's schema can read (elements named after its nodes, text,
// marks of its marks). Checked on the document the update was applied to, item by item, so the
// cost is linear in the update, not in the document.
import * as Y from "yjs";
import { richTextSchema } from "./schema";

const NODE_NAMES = new Set(Object.keys(richTextSchema.nodes).filter((name) => name !== "doc" && name !== "text"));
const MARK_NAMES = new Set(Object.keys(richTextSchema.marks));
const MAX_ATTRIBUTE_KEY = 64;

/**
 * Null when every item the update added sits where the schema allows it, else why not. `doc` has
 * the update applied; `allowedRoots` are the record's rich-text field keys.
 */
export function findUpdateProblem(doc: Y.Doc, update: Uint8Array, allowedRoots: ReadonlySet<string>): string | null {
  const { structs } = Y.decodeUpdate(update);
  if (doc.store.pendingStructs || doc.store.pendingDs) return "The update depends on changes the server does not have: sync first";
  for (const struct of structs) {
    if (!(struct instanceof Y.Item)) continue;
    const item = Y.getItem(doc.store, struct.id);
    if (!(item instanceof Y.Item)) continue;
    const problem = itemProblem(item, allowedRoots);
    if (problem) return problem;
  }
  return null;
}

function itemProblem(item: Y.Item, allowedRoots: ReadonlySet<string>): string | null {
  const parent = item.parent;
  if (!(parent instanceof Y.AbstractType)) return "An item has no parent";
  const root = rootOf(parent);
  const rootKey = root._item === null ? Y.findRootTypeKey(root) : null;
  if (!rootKey || !allowedRoots.has(rootKey)) return `Only the record's rich-text fields can be edited live (not "${String(rootKey).slice(0, 60)}")`;
  if (!(root instanceof Y.XmlFragment)) return `"${rootKey}" must be a rich-text fragment`;
  if (item.deleted || item.content instanceof Y.ContentDeleted) return null;
  const content = item.content;
  if (item.parentSub !== null) {
    // Attributes: node attributes (headings' level, links' href…) live on elements only.
    if (!(parent instanceof Y.XmlElement) || item.parentSub.length > MAX_ATTRIBUTE_KEY) return "Attributes are allowed on elements only";
    return content instanceof Y.ContentAny ? null : "An attribute must hold a plain value";
  }
  if (parent instanceof Y.XmlText) {
    if (content instanceof Y.ContentString) return null;
    if (content instanceof Y.ContentFormat) return MARK_NAMES.has(content.key) ? null : `Unknown formatting "${content.key.slice(0, 60)}"`;
    return "Text may only hold characters and formatting";
  }
  // An element or the fragment itself: its children are elements of the schema, or text.
  if (!(content instanceof Y.ContentType)) return "Only elements and text may be placed in rich text";
  const child = content.type;
  if (child instanceof Y.XmlText) return null;
  if (child instanceof Y.XmlElement) return NODE_NAMES.has(child.nodeName) ? null : `Unknown element "${child.nodeName.slice(0, 60)}"`;
  return "Only elements and text may be placed in rich text";
}

function rootOf(type: Y.AbstractType<unknown>): Y.AbstractType<unknown> {
  let current = type;
  for (let depth = 0; current._item !== null && depth < 10_000; depth++) {
    const parent = current._item.parent;
    if (!(parent instanceof Y.AbstractType)) break;
    current = parent;
  }
  return current;
}

/**
 * An upper bound of the field's length as HTML (what a checkpoint stores): its characters plus the
 * markup of every element and formatting run. Linear in the fragment's items, not its characters;
 * converting to HTML is far costlier and happens only at checkpoints.
 */
export function htmlLengthBound(fragment: Y.XmlFragment): number {
  let total = 0;
  const stack: (Y.XmlFragment | Y.XmlElement | Y.XmlText)[] = [fragment];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node instanceof Y.XmlText) {
      total += node.length;
      for (let item = node._start; item !== null; item = item.right) {
        if (!item.deleted && item.content instanceof Y.ContentFormat) {
          total += 2 * item.content.key.length + 5 + JSON.stringify(item.content.value ?? "").length;
        }
      }
      continue;
    }
    if (node instanceof Y.XmlElement) {
      total += 2 * node.nodeName.length + 5;
      for (const [key, value] of Object.entries(node.getAttributes())) total += key.length + JSON.stringify(value ?? "").length + 4;
    }
    for (const child of node.toArray()) if (child instanceof Y.XmlText || child instanceof Y.XmlElement) stack.push(child);
  }
  return total;
}
