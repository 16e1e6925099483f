-- Each compaction of a live document starts a new generation, so a process that keeps a copy of
-- the document knows when the updates it has not read were folded into the state.
ALTER TABLE "yjs_documents" ADD COLUMN "generation" INTEGER NOT NULL DEFAULT 0;
