// TipTap's document schema on the server: the one the browser editor uses (StarterKit; history is
// Yjs's), built once.
import { getSchema } from "@tiptap/core";
import StarterKit from "@tiptap/starter-kit";

export const richTextExtensions = [StarterKit.configure({ undoRedo: false })];
export const richTextSchema = getSchema(richTextExtensions);

/** A ProseMirror document as JSON. */
export type DocJson = {
  type: string;
  content?: DocJson[];
  text?: string;
  attrs?: Record<string, unknown>;
  marks?: { type: string; attrs?: Record<string, unknown> }[];
};
