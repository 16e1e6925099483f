-- Owners rename a workspace (PATCH /api/workspaces/:id): its version is the ETag a rename can be
-- sent with, so a rename based on a name someone else has changed meanwhile is refused (412).
ALTER TABLE "workspaces" ADD COLUMN "version" INTEGER NOT NULL DEFAULT 1;
