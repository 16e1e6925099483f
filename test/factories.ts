// Small factories: each test builds its own workspace, people and records, so tests never share data.
import { randomBytes } from "node:crypto";
import type pg from "pg";
import type { FieldDef, RecordDto, Role } from "@/lib/types";
import { ApiClient } from "./client";

export const INVENTORY_FIELDS: FieldDef[] = [
  { key: "name", label: "Name", type: "text", required: true, options: { maxLength: 100 } },
  { key: "stock", label: "Stock", type: "number", options: { integer: true, min: 0, max: 1_000_000 } },
  { key: "count", label: "Count", type: "counter" },
  { key: "category", label: "Category", type: "select", options: { choices: ["A", "B"] } },
  { key: "tags", label: "Tags", type: "tags", options: { choices: ["red", "green", "blue"] } },
  { key: "due", label: "Due", type: "date" },
  { key: "done", label: "Done", type: "checkbox" },
  { key: "owner", label: "Owner", type: "user" },
  { key: "notes", label: "Notes", type: "longtext" },
  { key: "body", label: "Body", type: "richtext" },
];

export const uniqueId = () => randomBytes(5).toString("hex");

export type Member = { client: ApiClient; id: string; name: string; email: string };
export type WorkspaceFixture = { workspaceId: string; collectionId: string; members: Record<Role, Member> };

/** A workspace with one collection and an owner, an editor and a viewer, each signed in. */
export async function createWorkspace(baseUrl: string, pool: pg.Pool, fields = INVENTORY_FIELDS): Promise<WorkspaceFixture> {
  const tag = uniqueId();
  const members = {} as Record<Role, Member>;
  for (const role of ["owner", "editor", "viewer"] as const) {
    const client = new ApiClient(baseUrl);
    const email = `${role}-${tag}@example.test`;
    const name = `${role[0]!.toUpperCase()}${role.slice(1)} ${tag}`;
    const { id } = await client.signUp(email, name);
    members[role] = { client, id, name, email };
  }
  const { rows } = await pool.query<{ id: string }>(`INSERT INTO workspaces (name) VALUES ($1) RETURNING id`, [`Workspace ${tag}`]);
  const workspaceId = rows[0]!.id;
  for (const role of ["owner", "editor", "viewer"] as const) {
    await pool.query(`INSERT INTO memberships ("workspaceId", "userId", role) VALUES ($1, $2, $3)`, [workspaceId, members[role].id, role]);
  }
  // Version 1 in the schema history too, as the collection editor writes it.
  const collection = await pool.query<{ id: string }>(
    `WITH c AS (INSERT INTO collections ("workspaceId", name, fields) VALUES ($1, $2, $3) RETURNING id, name, fields, "removedFields")
     INSERT INTO collection_versions ("collectionId", version, name, fields, "removedFields", archived, "authorId", changes)
     SELECT id, 1, name, fields, "removedFields", false, $4, '{}'::jsonb FROM c RETURNING "collectionId" AS id`,
    [workspaceId, `Items ${tag}`, JSON.stringify(fields), members.owner.id],
  );
  return { workspaceId, collectionId: collection.rows[0]!.id, members };
}

export async function createRecord(client: ApiClient, collectionId: string, values: Record<string, unknown>) {
  const res = await client.request<RecordDto>("POST", `/api/collections/${collectionId}/records`, { json: { values } });
  if (res.status !== 201) throw new Error(`create failed: ${res.status} ${JSON.stringify(res.body)}`);
  return { record: res.body, etag: res.headers.get("etag")! };
}

export async function countRevisions(pool: pg.Pool, recordId: string): Promise<number> {
  const { rows } = await pool.query<{ n: string }>(`SELECT count(*) AS n FROM revisions WHERE "recordId" = $1`, [recordId]);
  return Number(rows[0]!.n);
}
