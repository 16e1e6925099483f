import type { FieldDef } from "@/lib/types";
import type { Db } from "./prisma";

export type RecordShape = { collectionId: string; workspaceId: string; fields: FieldDef[] };

// A record never changes collection, and a collection's fields change rarely (not at all through
// the API yet): the save path keeps them a minute instead of reading them on every save.
// Access is never cached: the save statement checks membership itself.
const TTL_MS = 60_000;
const MAX = 50_000;
const shapes = ((globalThis as typeof globalThis & { __tandemShapes?: Map<string, { shape: RecordShape; until: number }> })
  .__tandemShapes ??= new Map());

export async function getRecordShape(db: Db, recordId: string): Promise<RecordShape | null> {
  const now = Date.now();
  const hit = shapes.get(recordId);
  if (hit && hit.until > now) return hit.shape;
  const { rows } = await db.pool.query<RecordShape>({
    name: "tandem_record_shape",
    text: `SELECT r."collectionId", c."workspaceId", c.fields FROM records r JOIN collections c ON c.id = r."collectionId"
           WHERE r.id = $1::uuid`,
    values: [recordId],
  });
  const shape = rows[0] ?? null;
  if (shape) {
    if (shapes.size >= MAX) shapes.delete(shapes.keys().next().value!);
    shapes.set(recordId, { shape, until: now + TTL_MS });
  }
  return shape;
}
