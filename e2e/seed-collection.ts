// Test-only set-up: a collection written straight into the e2e database, for tests that need one
// in a workspace they just created (this branch has no collection-creation API; the collection
// editor comes separately). scripts/e2e.ts passes the database as E2E_DATABASE_URL.
import pg from "pg";
import type { FieldDef } from "@/lib/types";

export async function seedCollection(workspaceId: string, name: string, fields: FieldDef[]): Promise<string> {
  const url = process.env.E2E_DATABASE_URL;
  if (!url) throw new Error("E2E_DATABASE_URL is not set: run the e2e tests through npm run test:e2e");
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ id: string }>(`INSERT INTO collections ("workspaceId", name, fields) VALUES ($1, $2, $3) RETURNING id`, [
      workspaceId,
      name,
      JSON.stringify(fields),
    ]);
    return rows[0]!.id;
  } finally {
    await client.end();
  }
}
