"use client";
// A save that failed because the server could not be reached is sent again, unchanged (same body,
// same If-Match, so the same Idempotency-Key), as soon as the connection looks back: the browser
// says it is online, the live socket reconnects, or after a growing pause.
import { useEffect, useRef } from "react";
import type { RecordValues } from "@/lib/types";
import { onConnectionState } from "@/components/realtime/connection";
import type { FormBase } from "./live-merge";
import type { CounterOps } from "./counter-ops";

/** The request that failed, kept to be sent again exactly as it was. */
export type PendingSave = { base: FormBase; etag: string; edits: RecordValues; ops: CounterOps; failedAt: number; attempts: number };

const FIRST_PAUSE_MS = 5_000;
const MAX_PAUSE_MS = 60_000;

export function retryPause(attempts: number): number {
  return Math.min(MAX_PAUSE_MS, FIRST_PAUSE_MS * 2 ** Math.max(0, attempts - 1));
}

export function useSaveRetry(pending: PendingSave | null, retry: () => void) {
  const retryRef = useRef(retry);
  useEffect(() => {
    retryRef.current = retry;
  });
  useEffect(() => {
    if (!pending) return;
    const fire = () => retryRef.current();
    const timer = setTimeout(fire, retryPause(pending.attempts));
    const onOnline = () => fire();
    window.addEventListener("online", onOnline);
    const offState = onConnectionState((state) => {
      if (state === "connected") fire();
    });
    return () => {
      clearTimeout(timer);
      window.removeEventListener("online", onOnline);
      offState();
    };
  }, [pending]);
}
