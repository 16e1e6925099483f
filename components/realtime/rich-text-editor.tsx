"use client";
// The collaborative rich-text field: TipTap bound to the record's Y.Doc (one fragment per field),
// with the carets of everyone else in it and a small toolbar. Loaded client-only (next/dynamic, ssr: false).
import Collaboration from "@tiptap/extension-collaboration";
import CollaborationCaret from "@tiptap/extension-collaboration-caret";
import { EditorContent, useEditor } from "@tiptap/react";
import StarterKit from "@tiptap/starter-kit";
import { useEffect } from "react";
import { useNonce } from "@/components/shell/csp";
import { RichTextToolbar } from "./rich-text-toolbar";
import type { SocketYjsProvider } from "./yjs-provider";

export type RichTextEditorProps = {
  id: string;
  /** the id of the field's label: a contenteditable is named by aria-labelledby, not <label for> */
  labelledBy: string;
  fieldLabel: string;
  field: string;
  provider: SocketYjsProvider;
  me: { id: string; name: string; color: string };
  isReadOnly: boolean;
  describedBy?: string;
};

export default function RichTextEditor({ id, labelledBy, fieldLabel, field, provider, me, isReadOnly, describedBy }: RichTextEditorProps) {
  const nonce = useNonce();
  const editor = useEditor(
    {
      immediatelyRender: false,
      // TipTap adds a <style> of its own: it needs the page's CSP nonce.
      injectNonce: nonce,
      editable: !isReadOnly,
      extensions: [
        // Undo/redo comes from Yjs (Collaboration), so StarterKit's history is off. The schema is
        // the server's (rich-text-html.ts); only how links behave while editing differs.
        StarterKit.configure({ undoRedo: false, link: { openOnClick: false, autolink: true, defaultProtocol: "https" } }),
        Collaboration.configure({ document: provider.doc, field }),
        CollaborationCaret.configure({ provider, user: { id: me.id, name: me.name, color: me.color } }),
      ],
      editorProps: {
        attributes: {
          id,
          role: "textbox",
          "aria-multiline": "true",
          "aria-labelledby": labelledBy,
          ...(describedBy ? { "aria-describedby": describedBy } : {}),
          class: "tandem-richtext min-h-28 px-3 py-2 text-sm text-slate-900 focus:outline-none",
        },
      },
    },
    [provider, field],
  );

  useEffect(() => {
    if (!editor) return;
    editor.setEditable(!isReadOnly);
    editor.view.dom.setAttribute("aria-readonly", String(isReadOnly));
  }, [editor, isReadOnly]);

  // A colour reassigned so that it differs from everyone else's here (lib/realtime C2).
  useEffect(() => {
    if (editor && !editor.isDestroyed) editor.commands.updateUser({ id: me.id, name: me.name, color: me.color });
  }, [editor, me.id, me.name, me.color]);

  return (
    <div
      className={`min-w-0 rounded-md ring-1 ring-inset ${isReadOnly ? "bg-slate-50 ring-slate-300" : "bg-surface ring-slate-300 focus-within:ring-2 focus-within:ring-indigo-600"}`}
    >
      {editor && !isReadOnly && <RichTextToolbar editor={editor} fieldLabel={fieldLabel} />}
      <EditorContent editor={editor} />
    </div>
  );
}
