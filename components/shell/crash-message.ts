/** What the crash page says: a reference to quote, and about unsaved edits only what is true. */
export function crashMessage(digest: string | undefined, draftCount: number): string {
  const reference = digest ? `Reference ${digest}. ` : "";
  if (draftCount === 0) return `${reference}Try again, or go back to your collections.`;
  const drafts = draftCount === 1 ? "Unsaved edits to one record are kept in this browser" : `Unsaved edits to ${draftCount} records are kept in this browser`;
  return `${reference}${drafts}; they come back when you open the record again.`;
}
