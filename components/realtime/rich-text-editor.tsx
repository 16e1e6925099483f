"use client";
// The collaborative rich-text field: TipTap bound to the record's Y.Doc (one fragment per field),
// with the carets of everyone else in it. Loaded client-only (next/dynamic, ssr: false).
import Collaboration from "@tiptap/extension-collaboration";
import CollaborationCaret from "@tiptap/extension-collaboration-caret";
import { EditorContent, useEditor } from "@tiptap/react";
import StarterKit from "@tiptap/starter-kit";
import { useEffect } from "react";
import { colorFor } from "@/lib/realtime";
import type { SocketYjsProvider } from "./yjs-provider";

export type RichTextEditorProps = {
  id: string;
  field: string;
  provider: SocketYjsProvider;
  me: { id: string; name: string };
  isReadOnly: boolean;
  isReady: boolean;
  describedBy?: string;
  onFocusChange?: (isFocused: boolean) => void;
};

export default function RichTextEditor({ id, field, provider, me, isReadOnly, isReady, describedBy, onFocusChange }: RichTextEditorProps) {
  const editor = useEditor(
    {
      immediatelyRender: false,
      editable: !isReadOnly && isReady,
      extensions: [
        StarterKit.configure({ undoRedo: false }),
        Collaboration.configure({ document: provider.doc, field }),
        CollaborationCaret.configure({ provider, user: { id: me.id, name: me.name, color: colorFor(me.id) } }),
      ],
      editorProps: {
        attributes: {
          id,
          role: "textbox",
          "aria-multiline": "true",
          ...(describedBy ? { "aria-describedby": describedBy } : {}),
          class: "tandem-richtext min-h-28 px-3 py-2 focus:outline-none",
        },
      },
      onFocus: () => onFocusChange?.(true),
      onBlur: () => onFocusChange?.(false),
    },
    [provider, field],
  );

  useEffect(() => {
    editor?.setEditable(!isReadOnly && isReady);
  }, [editor, isReadOnly, isReady]);

  return (
    <div className="rounded-md border border-slate-300 bg-white focus-within:border-indigo-500 focus-within:ring-2 focus-within:ring-indigo-200">
      <EditorContent editor={editor} />
    </div>
  );
}
