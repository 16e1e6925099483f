"use client";
// The page's CSP nonce (server/http/security-headers.ts), for the few elements the browser code
// adds itself: TipTap's <style>. Next.js puts it on its own scripts.
import { createContext, useContext, type ReactNode } from "react";

const NonceContext = createContext<string | undefined>(undefined);

export const useNonce = () => useContext(NonceContext);

export function NonceProvider({ nonce, children }: { nonce: string | undefined; children: ReactNode }) {
  return <NonceContext.Provider value={nonce}>{children}</NonceContext.Provider>;
}
