"use client";
// The schema's history on the editor page: every version, who made it, when, and what it changed.
import { useEffect, useState } from "react";
import { api, messageOf, type SchemaVersion } from "@/components/api/client";
import { formatRelative } from "@/components/ui/format";
import { describeSchemaChanges } from "./schema-text";

export function SchemaHistory({ collectionId, version }: { collectionId: string; version: number }) {
  const [versions, setVersions] = useState<SchemaVersion[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api.schemaVersions(collectionId).then(
      (page) => setVersions(page.versions),
      (e: unknown) => setError(messageOf(e)),
    );
  }, [collectionId, version]);
  if (error) return <p className="text-sm text-rose-700">History could not be loaded: {error}</p>;
  if (!versions) return null;
  return (
    <section aria-label="History of the fields" className="space-y-1 text-sm">
      <h2 className="font-semibold">History</h2>
      <ol className="space-y-0.5">
        {versions.map((v) => (
          <li key={v.version}>
            <span className="tabular-nums text-slate-500">v{v.version}</span> {v.author.name}, {formatRelative(v.createdAt)}: {describeSchemaChanges(v.changes)}
          </li>
        ))}
      </ol>
    </section>
  );
}
