"use client";
// The signing secret, shown once (after creating an endpoint or rotating its secret).
import { useRef, useState } from "react";
import { useFocusTrap } from "@/components/merge/use-focus-trap";
import { Button } from "@/components/ui/button";

export function SecretDialog({ secret, url, isRotation, onClose }: { secret: string; url: string; isRotation: boolean; onClose: () => void }) {
  const ref = useRef<HTMLDivElement>(null);
  useFocusTrap(ref, onClose);
  const [copied, setCopied] = useState<"yes" | "failed" | null>(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(secret);
      setCopied("yes");
    } catch {
      setCopied("failed");
    }
  };
  return (
    <div className="fixed inset-0 z-50 flex items-start justify-center overflow-y-auto bg-black/50 p-3 sm:p-10">
      <div
        ref={ref}
        role="dialog"
        aria-modal="true"
        aria-labelledby="secret-title"
        aria-describedby="secret-desc"
        tabIndex={-1}
        className="w-full max-w-lg min-w-0 rounded-xl bg-surface shadow-2xl ring-1 ring-slate-900/10 outline-none"
      >
        <header className="border-b border-slate-200 px-4 py-4 sm:px-6">
          <h2 id="secret-title" className="text-lg font-semibold text-slate-900">
            {isRotation ? "New signing secret" : "Webhook created"}
          </h2>
          <p id="secret-desc" className="mt-1 text-sm text-slate-600">
            Copy this signing secret for <span className="font-medium break-all">{url}</span> now: it is not shown again.
            {isRotation && " The old secret keeps signing deliveries beside the new one for 24 hours, so the receiver can switch without missing any."}
          </p>
        </header>
        <div className="space-y-2 px-4 py-4 sm:px-6">
          <label htmlFor="webhook-secret" className="text-sm font-medium text-slate-800">
            Signing secret
          </label>
          <input
            id="webhook-secret"
            readOnly
            value={secret}
            onFocus={(e) => e.currentTarget.select()}
            className="w-full rounded-md border border-slate-300 bg-slate-50 px-3 py-2 font-mono text-sm text-slate-900"
          />
          {copied === "yes" && (
            <p role="status" className="text-sm text-emerald-700">
              Copied.
            </p>
          )}
          {copied === "failed" && (
            <p role="status" className="text-sm text-amber-800">
              The browser would not copy it: select the text and copy it yourself.
            </p>
          )}
        </div>
        <footer className="flex flex-wrap items-center justify-end gap-2 border-t border-slate-200 px-4 py-3 sm:px-6">
          <Button onClick={copy}>Copy</Button>
          <Button variant="primary" onClick={onClose}>
            I have copied it
          </Button>
        </footer>
      </div>
    </div>
  );
}
