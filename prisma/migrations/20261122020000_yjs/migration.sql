-- Rich text: each record's Y.Doc as a compacted state plus the updates appended since.
CREATE TABLE "yjs_documents" (
    "recordId" UUID NOT NULL,
    "state" BYTEA NOT NULL,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "yjs_documents_pkey" PRIMARY KEY ("recordId")
);

CREATE TABLE "yjs_updates" (
    "id" BIGSERIAL NOT NULL,
    "recordId" UUID NOT NULL,
    "update" BYTEA NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "yjs_updates_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "yjs_updates_recordId_id_idx" ON "yjs_updates"("recordId", "id");

ALTER TABLE "yjs_documents" ADD CONSTRAINT "yjs_documents_recordId_fkey" FOREIGN KEY ("recordId") REFERENCES "records"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "yjs_updates" ADD CONSTRAINT "yjs_updates_recordId_fkey" FOREIGN KEY ("recordId") REFERENCES "records"("id") ON DELETE CASCADE ON UPDATE CASCADE;
