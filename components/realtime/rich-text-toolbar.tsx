"use client";
// A small toolbar for the rich-text field: bold, italic, bulleted and numbered lists, and a link
// (typed into a little form, checked by normalizeLinkUrl). Buttons say whether they are on.
import { AllSelection, TextSelection } from "@tiptap/pm/state";
import { useEditorState, type Editor } from "@tiptap/react";
import { useId, useState, type ReactNode } from "react";
import { INPUT_CLASS } from "@/components/fields/types";
import { Button } from "@/components/ui/button";
import { normalizeLinkUrl } from "./link-url";

type Marks = { bold: boolean; italic: boolean; bulletList: boolean; orderedList: boolean; link: boolean; href: string };

function ToolButton({
  label,
  shortcut,
  isOn,
  onClick,
  children,
}: {
  label: string;
  shortcut?: string;
  isOn: boolean;
  onClick: () => void;
  children: ReactNode;
}) {
  return (
    <button
      type="button"
      aria-label={label}
      aria-pressed={isOn}
      title={shortcut ? `${label} (${shortcut})` : label}
      // Keep the editor's selection: a mouse-down on the button would otherwise take focus first.
      onMouseDown={(e) => e.preventDefault()}
      onClick={onClick}
      className={`grid size-8 place-items-center rounded text-sm focus-visible:outline-2 focus-visible:outline-indigo-600 ${isOn ? "bg-indigo-600 text-white" : "text-slate-700 hover:bg-slate-100"}`}
    >
      {children}
    </button>
  );
}

function Icon({ d }: { d: string }) {
  return (
    <svg
      aria-hidden="true"
      viewBox="0 0 24 24"
      className="size-4"
      fill="none"
      stroke="currentColor"
      strokeWidth={2}
      strokeLinecap="round"
      strokeLinejoin="round"
    >
      <path d={d} />
    </svg>
  );
}

export function RichTextToolbar({ editor, fieldLabel }: { editor: Editor; fieldLabel: string }) {
  const marks = useEditorState({
    editor,
    selector: ({ editor: e }): Marks => ({
      bold: e.isActive("bold"),
      italic: e.isActive("italic"),
      bulletList: e.isActive("bulletList"),
      orderedList: e.isActive("orderedList"),
      link: e.isActive("link"),
      href: (e.getAttributes("link").href as string | undefined) ?? "",
    }),
  });
  const [link, setLink] = useState<{ text: string; error: string | null } | null>(null);
  const inputId = useId();
  const run = (command: (chain: ReturnType<Editor["chain"]>) => ReturnType<Editor["chain"]>) => command(editor.chain().focus()).run();
  // Ctrl+A selects the document node itself, which lists cannot wrap: select its text instead.
  const runOnText = (command: (chain: ReturnType<Editor["chain"]>) => ReturnType<Editor["chain"]>) =>
    run((c) =>
      command(
        c.command(({ tr }) => {
          if (tr.selection instanceof AllSelection) tr.setSelection(TextSelection.between(tr.doc.resolve(0), tr.doc.resolve(tr.doc.content.size)));
          return true;
        }),
      ),
    );
  const applyLink = () => {
    if (!link) return;
    const href = normalizeLinkUrl(link.text);
    if (!href) return setLink({ ...link, error: "Type a web address (https://…) or an e-mail address" });
    run((c) => c.extendMarkRange("link").setLink({ href }));
    setLink(null);
  };
  return (
    <div className="border-b border-slate-200">
      <div role="toolbar" aria-label={`Formatting for ${fieldLabel}`} className="flex flex-wrap items-center gap-0.5 px-1.5 py-1">
        <ToolButton label="Bold" shortcut="Ctrl+B" isOn={marks.bold} onClick={() => run((c) => c.toggleBold())}>
          <b>B</b>
        </ToolButton>
        <ToolButton label="Italic" shortcut="Ctrl+I" isOn={marks.italic} onClick={() => run((c) => c.toggleItalic())}>
          <i className="font-serif">I</i>
        </ToolButton>
        <span aria-hidden="true" className="mx-1 h-5 w-px bg-slate-200" />
        <ToolButton label="Bulleted list" isOn={marks.bulletList} onClick={() => runOnText((c) => c.toggleBulletList())}>
          <Icon d="M9 6h11M9 12h11M9 18h11M4.5 6h.01M4.5 12h.01M4.5 18h.01" />
        </ToolButton>
        <ToolButton label="Numbered list" isOn={marks.orderedList} onClick={() => runOnText((c) => c.toggleOrderedList())}>
          <Icon d="M10 6h10M10 12h10M10 18h10M4 5l1.5-1v5M3.5 13.5c.5-1 2.5-1 2.5.3 0 1-2.5 1.7-2.5 3.2h2.7" />
        </ToolButton>
        <span aria-hidden="true" className="mx-1 h-5 w-px bg-slate-200" />
        <ToolButton label="Link" isOn={marks.link || link !== null} onClick={() => setLink(link ? null : { text: marks.href, error: null })}>
          <Icon d="M10 14a4 4 0 0 0 5.7 0l3-3a4 4 0 0 0-5.7-5.7l-1 1M14 10a4 4 0 0 0-5.7 0l-3 3a4 4 0 0 0 5.7 5.7l1-1" />
        </ToolButton>
      </div>
      {link && (
        // Not a <form>: the field already sits inside the record's form, and forms do not nest.
        <div role="group" aria-label="Link" className="flex flex-wrap items-start gap-2 px-2 pb-2">
          <label htmlFor={inputId} className="sr-only">
            Link address
          </label>
          <div className="min-w-0 flex-1 basis-48">
            <input
              id={inputId}
              type="text"
              inputMode="url"
              autoFocus
              placeholder="https://…"
              value={link.text}
              className={INPUT_CLASS}
              aria-invalid={!!link.error || undefined}
              aria-describedby={link.error ? `${inputId}-error` : undefined}
              onChange={(e) => setLink({ text: e.target.value, error: null })}
              onKeyDown={(e) => {
                if (e.key === "Enter") {
                  e.preventDefault();
                  applyLink();
                } else if (e.key === "Escape") {
                  e.preventDefault();
                  e.stopPropagation();
                  setLink(null);
                  editor.commands.focus();
                }
              }}
            />
            {link.error && (
              <p id={`${inputId}-error`} className="mt-1 text-xs text-rose-700">
                {link.error}
              </p>
            )}
          </div>
          <Button size="sm" className="mt-1" onClick={applyLink}>
            Apply link
          </Button>
          {marks.link && (
            <Button
              size="sm"
              variant="ghost"
              className="mt-1"
              onClick={() => {
                run((c) => c.extendMarkRange("link").unsetLink());
                setLink(null);
              }}
            >
              Remove link
            </Button>
          )}
        </div>
      )}
    </div>
  );
}
