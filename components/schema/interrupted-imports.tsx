"use client";
// The caller's imports into this collection that were interrupted (their server stopped): each
// says how far it got and goes on when given the same file again, with its own key and options,
// so the rows it wrote are not imported twice.
import { useEffect, useState } from "react";
import { api, ApiError, messageOf, type ImportJob } from "@/components/api/client";
import { Button } from "@/components/ui/button";
import { formatRelative } from "@/components/ui/format";

function InterruptedImport({ collectionId, job, onResumed }: { collectionId: string; job: ImportJob; onResumed: (job: ImportJob) => void }) {
  const [file, setFile] = useState<File | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [isBusy, setIsBusy] = useState(false);
  const inputId = `resume-${job.id}`;
  const resume = async () => {
    if (!file) return;
    setIsBusy(true);
    setProblem(null);
    try {
      onResumed(await api.startImport(collectionId, file, job.key, job.options));
    } catch (error) {
      setProblem(
        error instanceof ApiError && error.code === "idempotency_mismatch"
          ? "That is not the file this import was started with: choose the same file."
          : messageOf(error),
      );
    } finally {
      setIsBusy(false);
    }
  };
  return (
    <li data-testid="interrupted-import" className="space-y-2 rounded-lg border border-amber-200 bg-amber-50 p-3 text-sm text-amber-950">
      <p>
        An import started {formatRelative(job.createdAt)} stopped after {job.processed.toLocaleString()} of {job.total.toLocaleString()} rows (
        {job.created.toLocaleString()} records imported) when its server did. Choose the same file to go on from there: the rows already imported are not
        imported again.
      </p>
      <div className="flex flex-wrap items-center gap-2">
        <label htmlFor={inputId} className="font-medium">
          Same CSV file
        </label>
        <input id={inputId} type="file" accept=".csv,text/csv" className="text-sm" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
        <Button size="sm" variant="primary" disabled={!file || isBusy} onClick={() => void resume()}>
          Resume import
        </Button>
      </div>
      {problem && (
        <p role="alert" className="text-rose-800">
          {problem}
        </p>
      )}
    </li>
  );
}

export function InterruptedImports({ collectionId, onResumed }: { collectionId: string; onResumed: (job: ImportJob) => void }) {
  const [jobs, setJobs] = useState<ImportJob[]>([]);
  useEffect(() => {
    api.imports(collectionId).then(
      (list) => setJobs(list.filter((job) => job.status === "interrupted")),
      () => setJobs([]),
    );
  }, [collectionId]);
  if (jobs.length === 0) return null;
  return (
    <section aria-label="Interrupted imports" className="space-y-2">
      <h2 className="font-semibold">Interrupted imports</h2>
      <ul className="space-y-2">
        {jobs.map((job) => (
          <InterruptedImport
            key={job.id}
            collectionId={collectionId}
            job={job}
            onResumed={(resumed) => {
              setJobs((list) => list.filter((j) => j.id !== job.id));
              onResumed(resumed);
            }}
          />
        ))}
      </ul>
    </section>
  );
}
