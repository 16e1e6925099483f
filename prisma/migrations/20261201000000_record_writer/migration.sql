-- The one record writer: undelete as a revision kind, collection limits (sum of a field over live
-- records ≤ max) materialised as one total row per limit, and the error a write raises to undo
-- itself when a total would be crossed.
ALTER TABLE "revisions" DROP CONSTRAINT "revisions_kind_check";
ALTER TABLE "revisions" ADD CONSTRAINT "revisions_kind_check" CHECK ("kind" IN ('create', 'save', 'merge', 'restore', 'delete', 'undelete'));

ALTER TABLE "collections" ADD COLUMN "limits" JSONB NOT NULL DEFAULT '[]';

CREATE TABLE "collection_totals" (
    "collectionId" UUID NOT NULL,
    "field" TEXT NOT NULL,
    "used" NUMERIC(65,30) NOT NULL DEFAULT 0,
    CONSTRAINT "collection_totals_pkey" PRIMARY KEY ("collectionId", "field")
);
ALTER TABLE "collection_totals" ADD CONSTRAINT "collection_totals_collectionId_fkey" FOREIGN KEY ("collectionId") REFERENCES "collections"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- A statement that finds, after its own updates, that a limit would be crossed calls this: the
-- error undoes every part of the statement. SQLSTATE TDLIM is Tandem's own.
CREATE FUNCTION tandem_refuse_limit(field TEXT) RETURNS BOOLEAN LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'limit on % would be crossed', field USING ERRCODE = 'TDLIM';
END
$$;
