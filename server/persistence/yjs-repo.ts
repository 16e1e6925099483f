import type { Db } from "./prisma";

export type DocRows = { state: Uint8Array | null; updates: Uint8Array[]; lastUpdateId: bigint | null };

const bytes = (value: Uint8Array) => new Uint8Array(value);

/** Everything stored for a record's Y.Doc: the compacted state and the updates since, in order. */
export async function loadDocRows(db: Db, recordId: string): Promise<DocRows> {
  const [doc, updates] = await Promise.all([
    db.prisma.yjsDocument.findUnique({ where: { recordId }, select: { state: true } }),
    db.prisma.yjsUpdate.findMany({ where: { recordId }, orderBy: { id: "asc" }, select: { id: true, update: true } }),
  ]);
  return {
    state: doc ? bytes(doc.state) : null,
    updates: updates.map((u) => bytes(u.update)),
    lastUpdateId: updates.length ? updates[updates.length - 1]!.id : null,
  };
}

/** Stores a first state unless another process stored one first; true when ours was kept. */
export async function insertInitialDocState(db: Db, recordId: string, state: Uint8Array): Promise<boolean> {
  const inserted = await db.prisma.$executeRaw`
    INSERT INTO yjs_documents ("recordId", state) VALUES (${recordId}::uuid, ${Buffer.from(state)}) ON CONFLICT DO NOTHING`;
  return inserted === 1;
}

/** Plain pg: this runs for every keystroke batch of every editor. */
export async function appendDocUpdate(db: Db, recordId: string, update: Uint8Array): Promise<number> {
  const { rows } = await db.pool.query<{ id: string }>(
    `INSERT INTO yjs_updates ("recordId", "update") VALUES ($1::uuid, $2) RETURNING id`,
    [recordId, Buffer.from(update.buffer, update.byteOffset, update.byteLength)],
  );
  return Number(rows[0]!.id);
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
    await tx.yjsDocument.update({ where: { recordId }, data: { state: bytes(state), updatedAt: new Date() } });
    await tx.yjsUpdate.deleteMany({ where: { recordId, id: { lte: updates[updates.length - 1]!.id } } });
    return updates.length;
  });
}
