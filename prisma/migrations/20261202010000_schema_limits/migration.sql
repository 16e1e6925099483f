-- Collection limits are part of the versioned schema: owners add, change and remove them with
-- PATCH /api/collections/:id, and each version of the schema keeps the limits it had. Until now a
-- collection's limits were fixed at its creation, so every version it has had holds them.
ALTER TABLE "collection_versions" ADD COLUMN "limits" JSONB NOT NULL DEFAULT '[]';
UPDATE "collection_versions" v SET "limits" = c."limits" FROM "collections" c WHERE c."id" = v."collectionId";
