"use client";
import { useEffect } from "react";

/** "Desk lamp · Inventory · Tandem": the page's own name first, as tabs and history lists cut the end. */
export function documentTitle(parts: (string | null | undefined)[]): string {
  return [...parts.filter((p): p is string => !!p && p.trim() !== ""), "Tandem"].join(" · ");
}

/** Sets the tab's title while the page shows (the data is loaded in the browser, so metadata can't). */
export function useDocumentTitle(parts: (string | null | undefined)[]) {
  const title = documentTitle(parts);
  useEffect(() => {
    document.title = title;
  }, [title]);
}
