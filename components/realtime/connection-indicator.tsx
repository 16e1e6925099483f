"use client";
import type { ConnectionState } from "./connection";

const LOOK: Record<ConnectionState, { dot: string; text: string; hint: string }> = {
  connecting: { dot: "bg-slate-400 animate-pulse", text: "Connecting…", hint: "Connecting to live updates" },
  connected: { dot: "bg-emerald-500", text: "Live", hint: "Changes by others appear as they happen" },
  reconnecting: { dot: "bg-amber-500 animate-pulse", text: "Reconnecting…", hint: "The live connection dropped; retrying. Your edits are kept." },
  offline: { dot: "bg-rose-500", text: "Offline — your edits are kept", hint: "Edits stay in this tab and sync when the connection is back" },
};

export function ConnectionIndicator({ state }: { state: ConnectionState }) {
  const look = LOOK[state];
  return (
    <span
      data-testid="connection-state"
      data-state={state}
      aria-live="polite"
      title={look.hint}
      className={`inline-flex items-center gap-1.5 rounded-full px-2.5 py-1 text-xs font-medium ${state === "offline" ? "bg-rose-50 text-rose-800" : state === "reconnecting" ? "bg-amber-50 text-amber-800" : "text-slate-600"}`}
    >
      <span aria-hidden="true" className={`size-2 rounded-full ${look.dot}`} />
      {look.text}
    </span>
  );
}
