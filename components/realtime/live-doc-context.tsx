"use client";
// The record page's live document, for field editors that edit it directly (rich text). Outside a
// record page (the New record form) there is none, and rich text falls back to a plain textarea.
import { createContext, useContext } from "react";
import type { DocStatus, SocketYjsProvider } from "./yjs-provider";

export type LiveDoc = {
  provider: SocketYjsProvider | null;
  status: DocStatus;
  me: { id: string; name: string; color: string } | null;
};

export const LiveDocContext = createContext<LiveDoc | null>(null);

export const useLiveDoc = () => useContext(LiveDocContext);
