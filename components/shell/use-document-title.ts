"use client";
import { useEffect } from "react";

/** "Desk lamp · Inventory · Tandem": the page's own name first, as tabs and history lists cut the end. */
export function documentTitle(parts: (string | null | undefined)[]): string {
  return [...parts.filter((p): p is string => !!p && p.trim() !== ""), "Tandem"].join(" · ");
}

/**
 * Sets the tab's title while the page shows. The data is loaded in the browser, so route metadata
 * can't name it; and Next writes its own default title after a client-side navigation, possibly
 * after this effect ran, so the title is put back whenever the head changes.
 */
export function useDocumentTitle(parts: (string | null | undefined)[]) {
  const title = documentTitle(parts);
  useEffect(() => {
    const apply = () => {
      if (document.title !== title) document.title = title;
    };
    apply();
    const observer = new MutationObserver(apply);
    observer.observe(document.head, { childList: true, subtree: true, characterData: true });
    return () => observer.disconnect();
  }, [title]);
}
