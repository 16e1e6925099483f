import type { Db } from "./prisma";

export type DocRows = { state: Uint8Array | null; updates: Uint8Array[]; lastUpdateId: bigint | null; generation: number };

const bytes = (value: Uint8Array) => new Uint8Array(value);

/** Everything stored for a record's Y.Doc: the compacted state and the updates since, in order. */
export async function loadDocRows(db: Db, recordId: string): Promise<DocRows> {
  const [doc, updates] = await Promise.all([
    db.prisma.yjsDocument.findUnique({ where: { recordId }, select: { state: true, generation: true } }),
    db.prisma.yjsUpdate.findMany({ where: { recordId }, orderBy: { id: "asc" }, select: { id: true, update: true } }),
  ]);
  return {
    state: doc ? bytes(doc.state) : null,
    updates: updates.map((u) => bytes(u.update)),
    lastUpdateId: updates.length ? updates[updates.length - 1]!.id : null,
    generation: doc?.generation ?? 0,
  };
}

/** The updates stored after `afterId`, and the document's generation (a new one: they were compacted). */
export async function loadUpdatesAfter(
  db: Db,
  recordId: string,
  afterId: number,
): Promise<{ updates: { id: number; update: Uint8Array }[]; generation: number }> {
  const { rows } = await db.pool.query<{ id: string | null; update: Buffer | null; generation: number | null }>({
    name: "tandem_doc_updates_after",
    text: `SELECT u.id, u."update", d.generation FROM yjs_documents d
           LEFT JOIN yjs_updates u ON u."recordId" = d."recordId" AND u.id > $2::bigint
           WHERE d."recordId" = $1::uuid ORDER BY u.id`,
    values: [recordId, afterId],
  });
  const updates = rows.filter((row) => row.id !== null).map((row) => ({ id: Number(row.id), update: new Uint8Array(row.update!) }));
  return { updates, generation: rows[0]?.generation ?? -1 };
}

/** Stores a first state unless another process stored one first; true when ours was kept. */
export async function insertInitialDocState(db: Db, recordId: string, state: Uint8Array): Promise<boolean> {
  const inserted = await db.prisma.$executeRaw`
    INSERT INTO yjs_documents ("recordId", state) VALUES (${recordId}::uuid, ${Buffer.from(state)}) ON CONFLICT DO NOTHING`;
  return inserted === 1;
}

/**
 * Plain pg, for every keystroke batch of every editor: stores the update only if the record is
 * alive, the user holds one of `roles` right now (access is checked on every write, not at watch
 * time) and its collection is not archived (the collection's gate, as every record write passes it).
 * Null when refused; the caller explains why.
 */
export async function appendDocUpdate(
  db: Db,
  input: { recordId: string; userId: string | null; roles: string[] | null; update: Uint8Array },
): Promise<number | null> {
  const { update } = input;
  const { rows } = await db.pool.query<{ id: string }>({
    name: "tandem_append_doc_update",
    text: `INSERT INTO yjs_updates ("recordId", "update")
           SELECT r.id, $2 FROM records r JOIN collections c ON c.id = r."collectionId"
           WHERE r.id = $1::uuid AND r."deletedAt" IS NULL
             AND ($4::text[] IS NULL OR EXISTS (SELECT 1 FROM memberships m WHERE m."workspaceId" = c."workspaceId"
                                                AND m."userId" = $3::text AND m.role = ANY ($4::text[])))
             AND ($4::text[] IS NULL OR NOT (tandem_collection_gate(c.id) ->> 'isArchived')::boolean)
           RETURNING id`,
    values: [input.recordId, Buffer.from(update.buffer, update.byteOffset, update.byteLength), input.userId, input.roles],
  });
  return rows[0] ? Number(rows[0].id) : null;
}

export async function countDocUpdates(db: Db, recordId: string): Promise<number> {
  return db.prisma.yjsUpdate.count({ where: { recordId } });
}

/**
 * Folds the appended updates into the state. The state row is locked, and only updates that were
 * read are deleted, so an update appended meanwhile is kept for the next compaction.
 */
export async function compactDoc(db: Db, recordId: string, merge: (parts: Uint8Array[]) => Uint8Array): Promise<number> {
  return db.prisma.$transaction(async (tx) => {
    const locked = await tx.$queryRaw<{ state: Uint8Array }[]>`
      SELECT state FROM yjs_documents WHERE "recordId" = ${recordId}::uuid FOR UPDATE`;
    if (!locked[0]) return 0;
    const updates = await tx.yjsUpdate.findMany({ where: { recordId }, orderBy: { id: "asc" }, select: { id: true, update: true } });
    if (updates.length === 0) return 0;
    const state = merge([bytes(locked[0].state), ...updates.map((u) => bytes(u.update))]);
    await tx.yjsDocument.update({ where: { recordId }, data: { state: bytes(state), updatedAt: new Date(), generation: { increment: 1 } } });
    await tx.yjsUpdate.deleteMany({ where: { recordId, id: { lte: updates[updates.length - 1]!.id } } });
    return updates.length;
  });
}
