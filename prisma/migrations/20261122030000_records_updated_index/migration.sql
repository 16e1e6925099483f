-- "Recently updated" pages of a collection, keyset-paginated like the createdAt ones.
CREATE INDEX "records_collectionId_updatedAt_id_idx" ON "records"("collectionId", "updatedAt" DESC, "id" DESC);
