// The collection that only grows (10k → 100k → 1M records by default): the save path measures at
// its first size, data scale at every size, so each size is generated once, by set-based SQL
// (lib/fixtures.ts), never through the API.
import type pg from "pg";
import { createCollection, insertRecords } from "./fixtures.ts";

export class ScaleCollection {
  private id: string | undefined;
  private size = 0;

  constructor(
    private readonly pool: pg.Pool,
    private readonly workspaceId: string,
    private readonly authorId: string,
    private readonly log: (line: string) => void,
  ) {}

  /** The collection's id once it holds at least `size` records (generating the missing ones). */
  async grow(size: number): Promise<string> {
    this.id ??= await createCollection(this.pool, this.workspaceId, "Scale");
    if (size > this.size) {
      const t0 = performance.now();
      await insertRecords(this.pool, this.id, this.authorId, size - this.size, this.size + 1);
      this.log(`  records ${this.size.toLocaleString("en-US")} → ${size.toLocaleString("en-US")} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
      this.size = size;
    }
    return this.id;
  }

  /** `count` distinct records picked at random over the whole collection, so saves touch all of its indexes. */
  async sample(count: number): Promise<string[]> {
    if (!this.id) throw new Error("grow the scale collection first");
    if (count > this.size) throw new Error(`asked for ${count} records of ${this.size}`);
    const { rows } = await this.pool.query<{ id: string }>(`SELECT id FROM records WHERE "collectionId" = $1 ORDER BY random() LIMIT $2`, [this.id, count]);
    return rows.map((r) => r.id);
  }
}
