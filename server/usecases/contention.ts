// The workspace owners' contention page (GET /api/workspaces/:id/contention), the merge dialog's
// outcome report (POST /api/records/:id/merge-outcome) and the per-field "always ask" setting
// (PUT /api/collections/:id/fields/:key/merge-policy, with If-Match on the collection's version).
import { z } from "zod";
import { recordTitle } from "@/components/record/record-title";
import {
  addCounts,
  adviseFromRows,
  emptyCounts,
  hotspots,
  minuteOf,
  minuteSeries,
  percentileFromBuckets,
  uninterruptedShare,
  type ContentionDto,
  type ContentionPeriod,
  type HotField,
  type HotRecord,
  type Hotspot,
  type RollupRow,
} from "@/lib/contention";
import { formatEtag } from "@/lib/etag";
import { can } from "@/lib/permissions";
import type { FieldDef } from "@/lib/types";
import { forbidden, notFound } from "@/server/errors";
import { DIALOG_OUTCOMES } from "@/server/metrics/observer";
import { readMinuteRows, readTotals } from "@/server/metrics/rollups";
import { workspaceRole } from "@/server/persistence/webhooks-repo";
import { assertAllowed, isUuid } from "./access";
import { getSchema, patchSchema } from "./collection-schema";
import type { Actor, UseCaseDeps } from "./deps";

export type ContentionDeps = UseCaseDeps & {
  /** writes this process's pending counts first, so the page shows what just happened */
  flush?: () => Promise<void>;
  forgetShapes?: (collectionId: string) => void;
};

const DAY_MINUTES = 24 * 60;

async function assertOwner(deps: UseCaseDeps, workspaceId: string, actor: Actor) {
  if (!isUuid(workspaceId)) throw notFound("Workspace");
  const role = await workspaceRole(deps.db, workspaceId, actor.id);
  if (!role) throw notFound("Workspace");
  if (!can(role, "contention.view")) throw forbidden("Only the workspace's owners see its contention");
}

function period(minuteRows: RollupRow[], from: Date, minutes: number): ContentionPeriod {
  const series = minuteSeries(minuteRows, from.toISOString(), minutes);
  const total = minuteRows.reduce((sum, row) => addCounts(sum, row), emptyCounts());
  return {
    series,
    saves: total.saves,
    refused: total.refused,
    autoMerged: total.autoMerged,
    limited: total.limited,
    retries: total.retries,
    uninterrupted: uninterruptedShare(total),
    p50: percentileFromBuckets(total.latency, 0.5),
    p99: percentileFromBuckets(total.latency, 0.99),
    lockWaitMs: total.lockWaits === 0 ? null : total.lockWaitMs / total.lockWaits,
  };
}

export async function getContention(deps: ContentionDeps, actor: Actor, workspaceId: string, now = new Date()): Promise<ContentionDto> {
  await assertOwner(deps, workspaceId, actor);
  await deps.flush?.();
  const hourFrom = new Date(new Date(minuteOf(now)).getTime() - 59 * 60_000);
  const dayFrom = new Date(new Date(minuteOf(now)).getTime() - (DAY_MINUTES - 1) * 60_000);
  const [dayMinutes, hourTotals, dayTotals, ws] = await Promise.all([
    readMinuteRows(deps.db.pool, workspaceId, dayFrom),
    readTotals(deps.db.pool, workspaceId, hourFrom),
    readTotals(deps.db.pool, workspaceId, dayFrom),
    deps.db.pool.query<{ name: string }>(`SELECT name FROM workspaces WHERE id = $1::uuid`, [workspaceId]),
  ]);
  const hourMinutes = dayMinutes.filter((row) => row.minute >= hourFrom.toISOString());
  const hot = hotspots(dayTotals, 10);
  const ids = [...new Set([...dayTotals.map((row) => row.recordId)])];
  const { rows: records } = await deps.db.pool.query<{
    id: string;
    values: Record<string, unknown>;
    collectionId: string;
    collectionName: string;
    fields: FieldDef[];
    collectionVersion: number;
  }>(
    `SELECT r.id, r."values", r."collectionId", c.name AS "collectionName", c.fields, c.version AS "collectionVersion"
     FROM records r JOIN collections c ON c.id = r."collectionId" WHERE r.id = ANY ($1::uuid[]) AND c."workspaceId" = $2::uuid`,
    [ids, workspaceId],
  );
  const byId = new Map(records.map((r) => [r.id, r]));
  const describe = (h: Hotspot): HotRecord | null => {
    const r = byId.get(h.recordId);
    return r ? { ...h, name: recordTitle(r.fields, r.values), collectionId: r.collectionId, collectionName: r.collectionName } : null;
  };
  const context = (label: string) => ({
    records: Object.fromEntries(records.map((r) => [r.id, { collectionId: r.collectionId, name: recordTitle(r.fields, r.values), fields: r.fields }])),
    period: label,
  });
  const etags = new Map(records.map((r) => [r.collectionId, formatEtag(r.collectionId, r.collectionVersion)]));
  // The last hour's advice first; the day adds what the hour has not already said.
  const hourAdvice = adviseFromRows(
    hourTotals.filter((row) => row.field !== ""),
    context("in the last hour"),
  );
  const said = new Set(hourAdvice.map((a) => `${a.kind}:${"recordId" in a ? a.recordId : ""}:${a.field}`));
  const dayAdvice = adviseFromRows(
    dayTotals.filter((row) => row.field !== ""),
    context("today"),
  ).filter((a) => !said.has(`${a.kind}:${"recordId" in a ? a.recordId : ""}:${a.field}`));
  return {
    workspace: { id: workspaceId, name: ws.rows[0]?.name ?? "" },
    generatedAt: now.toISOString(),
    hour: period(hourMinutes, hourFrom, 60),
    day: period(dayMinutes, dayFrom, DAY_MINUTES),
    hotRecords: hot.records.map(describe).filter((h): h is HotRecord => h !== null),
    hotFields: hot.fields
      .map((h) => {
        const d = describe(h);
        const label = byId.get(h.recordId)?.fields.find((f) => f.key === h.field)?.label;
        return d && label ? { ...d, fieldLabel: label } : null;
      })
      .filter((h): h is HotField => h !== null),
    advice: [...hourAdvice, ...dayAdvice].map((a) => (a.kind === "always_ask" ? { ...a, etag: etags.get(a.collectionId) } : a)),
  };
}

export const MergeOutcomeBody = z.strictObject({
  outcome: z.enum(DIALOG_OUTCOMES),
  /** milliseconds from the refusal to the dialog's close, measured by the page (at most a day) */
  ms: z.number().finite().min(0).max(86_400_000),
});

/**
 * The merge dialog closed: what the editor chose and how long it took. Only members who may write
 * the record report; the numbers go to the metrics, never to storage.
 */
export async function reportMergeOutcome(deps: UseCaseDeps, actor: Actor, recordId: string, body: unknown): Promise<void> {
  const access = isUuid(recordId) ? await deps.store.access(recordId, actor.id) : null;
  const allowed = assertAllowed(access, "record.write");
  const parsed = MergeOutcomeBody.parse(body);
  deps.observe?.dialog(allowed.record.collectionId, parsed.outcome, parsed.ms);
}

export const MergePolicyBody = z.strictObject({ alwaysAsk: z.boolean() });

/**
 * Sets one field's merge policy: an ordinary schema edit (a new schema version in the history, the
 * live schema event, the same 404/403/428/412 as any PATCH of the collection), If-Match naming the
 * collection's version as `GET /api/collections/:id` answers it.
 */
export async function setMergePolicy(
  deps: ContentionDeps,
  actor: Actor,
  collectionId: string,
  key: string,
  ifMatch: string | null,
  body: unknown,
): Promise<{ fields: FieldDef[]; etag: string }> {
  const schema = await getSchema(deps, actor, collectionId);
  const { alwaysAsk } = MergePolicyBody.parse(body);
  if (!schema.fields.some((f) => f.key === key)) throw notFound("Field");
  const fields = schema.fields.map((f) => {
    if (f.key !== key) return f;
    const { alwaysAsk: _dropped, ...rest } = f;
    return alwaysAsk ? { ...rest, alwaysAsk: true } : rest;
  });
  const result = await patchSchema(deps, actor, { collectionId, ifMatch, body: { fields }, preferMerge: false, preview: false });
  if (result.kind !== "saved") throw new Error("a merge-policy change is never a preview");
  return { fields: result.schema.fields, etag: result.schema.etag };
}
