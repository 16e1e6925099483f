"use client";
// CSV import: pick a file, preview (every row checked, nothing written) with the columns mapped to
// fields (change a mapping, ignore a column, or let owners create fields from new columns), the
// per-row report, then import with a progress bar. The key is made once per file and mapping, so
// pressing Import again after a lost answer imports nothing twice; an import interrupted by its
// server stopping goes on with the same file (here, or from the list of interrupted imports).
import Link from "next/link";
import { useEffect, useState } from "react";
import { ApiError, api, messageOf, type ImportFailure, type ImportJob, type ImportPreview } from "@/components/api/client";
import { INPUT_CLASS } from "@/components/fields/types";
import { Button } from "@/components/ui/button";
import { ErrorBlock, LoadingBlock } from "@/components/ui/states";
import { ArchivedNotice } from "@/components/collections/archived-notice";
import { InterruptedImports } from "./interrupted-imports";
import type { CollectionDto } from "@/lib/types";

function Report({ failed, count }: { failed: ImportFailure[]; count: number }) {
  if (count === 0) return <p className="text-sm text-emerald-700">Every row is valid.</p>;
  return (
    <div>
      <p className="text-sm font-medium text-rose-800">
        {count.toLocaleString()} row{count === 1 ? "" : "s"} cannot be imported{failed.length < count ? ` (the first ${failed.length} are listed)` : ""}:
      </p>
      <table className="mt-1 w-full text-left text-sm" aria-label="Rows with problems">
        <thead>
          <tr>
            <th className="pr-3">Row</th>
            <th className="pr-3">Field</th>
            <th>Problem</th>
          </tr>
        </thead>
        <tbody>
          {failed.flatMap((f) =>
            Object.entries(f.fields).map(([key, text]) => (
              <tr key={`${f.row}-${key}`}>
                <td className="pr-3 tabular-nums">{f.row}</td>
                <td className="pr-3">{key === "_" ? "(row)" : key}</td>
                <td>{text}</td>
              </tr>
            )),
          )}
        </tbody>
      </table>
    </div>
  );
}

export function ImportView({ collectionId }: { collectionId: string }) {
  const [collection, setCollection] = useState<CollectionDto | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [file, setFile] = useState<File | null>(null);
  const [mapping, setMapping] = useState<Record<string, string | null>>({});
  const [createFields, setCreateFields] = useState(false);
  const [preview, setPreview] = useState<ImportPreview | null>(null);
  const [job, setJob] = useState<ImportJob | null>(null);
  const [error, setError] = useState<{ message: string; fields?: Record<string, string> } | null>(null);
  const [busy, setBusy] = useState(false);
  const [key, setKey] = useState<string | null>(null);

  useEffect(() => {
    api.collection(collectionId).then(setCollection, (e: unknown) => setLoadError(messageOf(e)));
  }, [collectionId]);

  useEffect(() => {
    if (!job || job.status !== "running") return;
    const timer = setTimeout(() => {
      api.importJob(job.id).then(setJob, (e: unknown) => setError({ message: messageOf(e) }));
    }, 500);
    return () => clearTimeout(timer);
  }, [job]);

  if (loadError) return <ErrorBlock title="Couldn’t load this collection" message={loadError} back={{ href: "/", label: "Back to your collections" }} />;
  if (!collection) return <LoadingBlock label="Loading collection" rows={3} />;
  const options = { mapping, createFields };
  const canCreateFields = collection.permissions["collection.manage"];
  const mayImport = collection.permissions["record.import"];

  const changed = () => {
    setPreview(null);
    setJob(null);
    setKey(null);
  };

  const runPreview = async (nextMapping = mapping, nextCreate = createFields) => {
    if (!file) return;
    setBusy(true);
    setError(null);
    try {
      setPreview(await api.previewImport(collectionId, file, { mapping: nextMapping, createFields: nextCreate }));
    } catch (e) {
      setPreview(null);
      setError({ message: messageOf(e), ...(e instanceof ApiError && e.fieldErrors ? { fields: e.fieldErrors } : {}) });
    } finally {
      setBusy(false);
    }
  };

  const runImport = async () => {
    if (!file) return;
    const idempotencyKey = key ?? `import-${crypto.randomUUID()}`;
    setKey(idempotencyKey);
    setBusy(true);
    setError(null);
    try {
      setJob(await api.startImport(collectionId, file, idempotencyKey, options));
    } catch (e) {
      setError({ message: messageOf(e), ...(e instanceof ApiError && e.fieldErrors ? { fields: e.fieldErrors } : {}) });
    } finally {
      setBusy(false);
    }
  };

  const columns =
    preview?.columns ??
    Object.keys(error?.fields ?? {})
      .filter((c) => c !== "_")
      .map((column) => ({ column, field: null }));
  const progress = job && job.total > 0 ? Math.round((job.processed / job.total) * 100) : job?.status === "done" ? 100 : 0;

  return (
    <div className="space-y-5">
      <div>
        <nav aria-label="Breadcrumb" className="text-sm text-slate-600">
          <Link href="/" className="hover:text-slate-900">
            Collections
          </Link>{" "}
          /{" "}
          <Link href={`/collections/${collection.id}`} className="hover:text-slate-900">
            {collection.name}
          </Link>
        </nav>
        <h1 className="mt-1 text-2xl font-semibold tracking-tight">Import CSV</h1>
        <p className="text-sm text-slate-600">
          The first row names the columns (by field label or key). Numbers plainly (1234.5), tags separated by “;”, checkboxes yes/no.
        </p>
      </div>
      <ArchivedNotice collection={collection} onUnarchived={setCollection} />
      {mayImport && !job && <InterruptedImports collectionId={collection.id} onResumed={setJob} />}
      <div>
        <label htmlFor="import-file" className="text-sm font-medium text-slate-700">
          CSV file
        </label>
        <input
          id="import-file"
          type="file"
          accept=".csv,text/csv"
          className="block text-sm"
          onChange={(e) => {
            setFile(e.target.files?.[0] ?? null);
            setMapping({});
            setError(null);
            changed();
          }}
        />
      </div>
      {canCreateFields && (
        <label className="flex items-center gap-2 text-sm">
          <input
            type="checkbox"
            checked={createFields}
            onChange={(e) => {
              setCreateFields(e.target.checked);
              changed();
            }}
          />{" "}
          Create text fields from columns no field matches
        </label>
      )}
      <div className="flex gap-2">
        <Button disabled={!file || busy} onClick={() => void runPreview()}>
          Preview
        </Button>
        <Button
          variant="primary"
          disabled={!file || busy || (!preview && job?.status !== "interrupted") || !mayImport || job?.status === "running"}
          onClick={() => void runImport()}
        >
          {job?.status === "interrupted"
            ? "Resume import"
            : preview
              ? `Import ${preview.valid.toLocaleString()} valid row${preview.valid === 1 ? "" : "s"}`
              : "Import"}
        </Button>
      </div>
      {error && (
        <div role="alert" className="rounded-md bg-rose-50 p-3 text-sm text-rose-900 ring-1 ring-rose-200">
          <p>{error.message}</p>
          {error.fields && (
            <ul className="mt-1 list-disc pl-5">
              {Object.entries(error.fields).map(([k, m]) => (
                <li key={k}>
                  <strong>{k}</strong>: {m}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      {columns.length > 0 && (
        <section aria-label="Column mapping" className="space-y-1">
          <h2 className="font-semibold">Columns</h2>
          <table className="text-sm">
            <tbody>
              {columns.map(({ column, field }) => (
                <tr key={column}>
                  <td className="pr-3">{column}</td>
                  <td>
                    <select
                      aria-label={`Field for column ${column}`}
                      className={`${INPUT_CLASS} w-56`}
                      value={Object.hasOwn(mapping, column) ? (mapping[column] ?? "") : (field ?? "")}
                      onChange={(e) => {
                        const next = { ...mapping, [column]: e.target.value === "" ? null : e.target.value };
                        setMapping(next);
                        changed();
                        void runPreview(next);
                      }}
                    >
                      <option value="">(ignore this column)</option>
                      {collection.fields
                        .filter((f) => f.type !== "richtext")
                        .map((f) => (
                          <option key={f.key} value={f.key}>
                            {f.label}
                          </option>
                        ))}
                      {(preview?.newFields ?? []).map((f) => (
                        <option key={f.key} value={f.key} disabled>
                          {f.label} (new)
                        </option>
                      ))}
                    </select>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
      {preview && !job && (
        <section aria-label="Preview" className="space-y-2">
          <p className="text-sm">
            {preview.total.toLocaleString()} rows: {preview.valid.toLocaleString()} valid, {preview.failedCount.toLocaleString()} with problems. Nothing is
            written until you import.
          </p>
          {preview.newFields.length > 0 && <p className="text-sm">New fields: {preview.newFields.map((f) => f.label).join(", ")}</p>}
          <Report failed={preview.failed} count={preview.failedCount} />
        </section>
      )}
      {job && (
        <section aria-label="Import progress" className="space-y-2">
          <progress aria-label="Import progress" max={100} value={progress} className="h-2 w-full accent-indigo-600" />
          <p role="status" className="text-sm">
            {job.status === "running"
              ? `Importing… ${job.processed.toLocaleString()} of ${job.total.toLocaleString()} rows`
              : job.status === "done"
                ? `Imported ${job.created.toLocaleString()} record${job.created === 1 ? "" : "s"}; ${job.failedCount.toLocaleString()} row${job.failedCount === 1 ? "" : "s"} skipped.`
                : job.status === "interrupted"
                  ? `Interrupted after ${job.processed.toLocaleString()} of ${job.total.toLocaleString()} rows, when its server stopped: ${job.created.toLocaleString()} records are imported. Press Resume import to go on with this file; nothing is imported twice.`
                  : `The import stopped: ${job.error ?? "unknown error"}`}
          </p>
          {job.status !== "running" && job.status !== "interrupted" && <Report failed={job.failed} count={job.failedCount} />}
          {job.status === "done" && (
            <Link href={`/collections/${collection.id}`} className="text-sm text-indigo-700 underline">
              See the records
            </Link>
          )}
        </section>
      )}
    </div>
  );
}
