"use client";
import dynamic from "next/dynamic";
import { useLiveDoc } from "@/components/realtime/live-doc-context";
import { INPUT_CLASS, type FieldEditorProps } from "./types";

// Client-only: TipTap and the Yjs binding never run on the server (and Yjs is loaded once).
const RichTextEditor = dynamic(() => import("@/components/realtime/rich-text-editor"), {
  ssr: false,
  loading: () => <RichTextPlaceholder text="Loading editor…" />,
});

export function RichTextPlaceholder({ text, tone = "muted" }: { text: string; tone?: "muted" | "error" }) {
  return (
    <div
      role={tone === "error" ? "alert" : "status"}
      className={`flex min-h-28 items-center rounded-md px-3 py-2 text-sm ring-1 ring-inset ${tone === "error" ? "bg-rose-50 text-rose-800 ring-rose-300" : "bg-slate-50 text-slate-600 ring-slate-200"}`}
    >
      {text}
    </div>
  );
}

/**
 * On a record page: the collaborative editor on the record's Y.Doc (its value is live, never a form
 * edit). Elsewhere (a new record): a plain textarea whose text becomes paragraphs on the server.
 */
export function RichTextField({ id, def, value, onChange, isReadOnly, isInvalid, describedBy }: FieldEditorProps) {
  const live = useLiveDoc();
  if (live) {
    const { provider, status, me } = live;
    if (status === "error" && !provider?.hasLoaded) {
      return (
        <RichTextPlaceholder
          tone="error"
          text={`This text could not be loaded${provider?.error ? `: ${provider.error}` : ""}. It is not shown rather than shown empty; reload to try again.`}
        />
      );
    }
    if (!provider || !me || !provider.hasLoaded)
      return <RichTextPlaceholder text={status === "offline" ? "Offline: the text loads when the connection is back." : "Loading text…"} />;
    return (
      <RichTextEditor
        id={id}
        labelledBy={`${id}-label`}
        fieldLabel={def.label}
        field={def.key}
        provider={provider}
        me={me}
        describedBy={describedBy}
        isReadOnly={isReadOnly || status === "error"}
      />
    );
  }
  return (
    <textarea
      id={id}
      rows={5}
      value={typeof value === "string" ? value : ""}
      onChange={(e) => onChange(e.target.value === "" ? null : e.target.value)}
      readOnly={isReadOnly}
      aria-labelledby={`${id}-label`}
      aria-invalid={isInvalid || undefined}
      aria-describedby={describedBy}
      className={`${INPUT_CLASS} min-h-28 resize-y leading-relaxed`}
    />
  );
}
