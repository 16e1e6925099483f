// The SQL of the one record writer. Each write is one statement: it passes the collection's gate
// (GATE), locks the row only if it is at the expected version, alive (or deleted, for an undelete),
// the actor holds one of the given roles and the collection is not archived; applies set values and
// counter deltas; checks the counters' bounds on the values it is
// about to write; moves every collection total the change touches, conditionally; writes the
// revision (with the per-field changes, computed here and nowhere else) and the idempotency key
// from the updated row. When nothing was written, the same statement returns why.

/** A jsonb value as a number for sums and bounds: anything but a number counts as 0. */
const num = (expr: string) => `(CASE WHEN jsonb_typeof(${expr}) = 'number' THEN (${expr} #>> '{}')::numeric ELSE 0 END)`;

const RECORD_COLUMNS = `id, "collectionId", "values", version, "createdAt", "updatedAt", "updatedById", "deletedAt"`;

/**
 * The collection's gate (migration collection_gate), as a lateral join on `c`: taken shared for the
 * statement's transaction, it answers the collection's archived state and limits as committed when
 * it ran, so an archive or a limit change (which takes it exclusively) is never missed by a write
 * that started before it committed. Used instead of c.limits and c."archivedAt" by every write.
 */
const GATE = `CROSS JOIN LATERAL (SELECT tandem_collection_gate(c.id) AS gate) g`;
const IS_OPEN = `NOT (g.gate ->> 'isArchived')::boolean`;
/** Why nothing was written, for the refusal rows: archived, read afresh (the gate is held by then). */
const IS_ARCHIVED_NOW = `(tandem_collection_gate(c.id) ->> 'isArchived')::boolean`;

/**
 * Totals: every sum limit of the collection whose total this change moves, updated only while it
 * stays within its max. `source` has one row with "collectionId", limits, the contributions before
 * and after. The statement's last step refuses (and so undoes everything) when one did not move.
 */
export function totalsCtes(source: string, before: (limitField: string) => string, after: (limitField: string) => string): string {
  return `moved AS (
    SELECT l ->> 'field' AS field, (l ->> 'max')::numeric AS max, ${after("(l ->> 'field')")} - ${before("(l ->> 'field')")} AS delta, s."collectionId"
    FROM ${source} s CROSS JOIN jsonb_array_elements(s.limits) l
    WHERE l ->> 'kind' = 'sum' AND ${after("(l ->> 'field')")} - ${before("(l ->> 'field')")} <> 0
  ), totals AS (
    UPDATE collection_totals ct SET used = ct.used + m.delta
    FROM moved m
    WHERE ct."collectionId" = m."collectionId" AND ct.field = m.field AND (m.delta < 0 OR ct.used + m.delta <= m.max)
    RETURNING ct.field
  )`;
}

/**
 * An import's lease and checkpoint (`param`: an ImportCheckpoint as jsonb, or null for any other
 * create). `lease` locks the import's row only while this process still holds its lease (a process
 * that took the import over holds another token, and a write that waited for its takeover finds the
 * token changed), and the records are written only then; `checkpoint` stores the import's progress
 * from the same statement, so rows are never written without their checkpoint or counted unwritten.
 */
const leaseCte = (param: string) => `lease AS (
    SELECT i.id FROM imports i
    WHERE ${param}::jsonb IS NOT NULL AND i.id = (${param}::jsonb ->> 'importId')::uuid
      AND i."leaseToken" = ${param}::jsonb ->> 'leaseToken' AND i.status = 'running'
    FOR UPDATE
  )`;
const holdsLease = (param: string) => `(${param}::jsonb IS NULL OR EXISTS (SELECT 1 FROM lease))`;
const isSuperseded = (param: string) => `(${param}::jsonb IS NOT NULL AND NOT EXISTS (SELECT 1 FROM lease))`;
const checkpointCte = (param: string, written: string) => `checkpoint AS (
    UPDATE imports i SET "processedRows" = (${param}::jsonb ->> 'processed')::int, "createdCount" = (${param}::jsonb ->> 'created')::int,
           "failedCount" = (${param}::jsonb ->> 'failedCount')::int, failed = COALESCE(${param}::jsonb -> 'failed', i.failed),
           "leaseUntil" = now() + (${param}::jsonb ->> 'leaseMs')::int * interval '1 millisecond', "updatedAt" = now()
    FROM lease l WHERE i.id = l.id AND EXISTS (SELECT 1 FROM ${written})
  )`;

/** True, or an error that undoes the statement when a total refused to move (SQLSTATE TDLIM). */
export const TOTALS_HELD = `CASE WHEN (SELECT count(*) FROM totals) = (SELECT count(*) FROM moved) THEN true
  ELSE tandem_refuse_limit((SELECT string_agg(field, ',') FROM moved WHERE field NOT IN (SELECT field FROM totals))) END`;

// $1 record, $2 expected version (null: any), $3 actor, $4 roles (null: no membership check),
// $5 values to set, $6 counter deltas, $7 lifecycle (null | 'delete' | 'undelete'), $8 revision kind,
// $9 meta, $10 idempotency key (null: none), $11 request hash, $12 replay status, $13 deleted or
// live alike (a conversion: a deleted record stays deleted, with who deleted it and when)
export const WRITE_SQL = `
  WITH target AS (
    SELECT r.${RECORD_COLUMNS.split(", ").join(", r.")}, c.fields, g.gate -> 'limits' AS limits
    FROM records r JOIN collections c ON c.id = r."collectionId" ${GATE}
    WHERE r.id = $1::uuid
      AND ($2::int IS NULL OR r.version = $2::int)
      AND (CASE WHEN $7::text = 'undelete' THEN r."deletedAt" IS NOT NULL WHEN $13::boolean THEN true ELSE r."deletedAt" IS NULL END)
      AND ($4::text[] IS NULL OR EXISTS (
        SELECT 1 FROM memberships m WHERE m."workspaceId" = c."workspaceId" AND m."userId" = $3::text AND m.role = ANY ($4::text[])))
      -- An archived collection takes only system writes (roles null: a checkpoint of live text accepted before it was archived).
      AND ($4::text[] IS NULL OR ${IS_OPEN})
    FOR UPDATE OF r
  ), adds AS (
    SELECT a.key, a.value::numeric AS delta, ${num(`t."values" -> a.key`)} AS before,
           (f.def -> 'options' ->> 'min')::numeric AS min, (f.def -> 'options' ->> 'max')::numeric AS max
    FROM target t CROSS JOIN jsonb_each_text($6::jsonb) a
    LEFT JOIN LATERAL (SELECT d AS def FROM jsonb_array_elements(t.fields) d WHERE d ->> 'key' = a.key LIMIT 1) f ON true
  ), next AS (
    SELECT t.*,
           t."values" || $5::jsonb || COALESCE((SELECT jsonb_object_agg(key, to_jsonb(before + delta)) FROM adds), '{}'::jsonb) AS "newValues",
           (SELECT jsonb_agg(jsonb_build_object('field', key, 'min', min, 'max', max, 'current', before, 'requested', delta))
            FROM adds WHERE before + delta < min OR before + delta > max OR abs(before + delta) > 9007199254740991) AS "boundViolations",
           CASE $7::text WHEN 'delete' THEN true WHEN 'undelete' THEN false ELSE t."deletedAt" IS NOT NULL END AS "isDeletedAfter",
           -- Read from target's rows, so only once the row lock is held: the statement's time until then
           -- (planning and the index lookup, well under a millisecond, plus any wait for the lock).
           extract(epoch FROM clock_timestamp() - statement_timestamp()) * 1000 AS "lockMs"
    FROM target t
  ), diff AS (
    SELECT n.*, (
      SELECT jsonb_object_agg(k, jsonb_build_object('from', COALESCE(n."values" -> k, 'null'::jsonb), 'to', n."newValues" -> k)
                              || CASE WHEN $6::jsonb ? k THEN jsonb_build_object('add', $6::jsonb -> k) ELSE '{}'::jsonb END)
      FROM jsonb_object_keys($5::jsonb || $6::jsonb) k
      WHERE COALESCE(n."values" -> k, 'null'::jsonb) IS DISTINCT FROM n."newValues" -> k) AS changes
    FROM next n
  ), go AS (
    SELECT d.* FROM diff d WHERE d."boundViolations" IS NULL AND (d.changes IS NOT NULL OR $7::text IS NOT NULL)
  ), ${totalsCtes(
    "go",
    (field) => `(CASE WHEN s."deletedAt" IS NOT NULL THEN 0 ELSE ${num(`s."values" -> ${field}`)} END)`,
    (field) => `(CASE WHEN s."isDeletedAfter" THEN 0 ELSE ${num(`s."newValues" -> ${field}`)} END)`,
  )}, updated AS (
    -- A deleted record changed as it stays deleted ($13) keeps who deleted it and when.
    UPDATE records r SET "values" = g."newValues", version = r.version + 1,
           "updatedAt" = CASE WHEN r."deletedAt" IS NOT NULL AND $7::text IS NULL THEN r."updatedAt" ELSE now() END,
           "updatedById" = CASE WHEN r."deletedAt" IS NOT NULL AND $7::text IS NULL THEN r."updatedById" ELSE $3::text END,
           "deletedAt" = CASE $7::text WHEN 'delete' THEN now() WHEN 'undelete' THEN NULL ELSE r."deletedAt" END
    FROM go g WHERE r.id = g.id
    RETURNING r.${RECORD_COLUMNS.split(", ").join(", r.")}, COALESCE(g.changes, '{}'::jsonb) AS changes
  ), revision AS (
    INSERT INTO revisions ("recordId", version, kind, "authorId", changes, snapshot, meta, "createdAt")
    SELECT id, version, $8::text, $3::text, changes, "values", $9::jsonb, now() FROM updated
  ), idempotency AS (
    INSERT INTO idempotency_keys ("userId", key, "requestHash", status, headers, body)
    SELECT $3::text, $10::text, $11::text, $12::int, '{}'::jsonb, jsonb_build_object('recordId', s.id, 'version', s.version)
    FROM (SELECT id, version FROM updated
          UNION ALL SELECT id, version FROM diff WHERE "boundViolations" IS NULL AND changes IS NULL AND $7::text IS NULL) s
    WHERE $10::text IS NOT NULL
  )
  SELECT 'saved' AS outcome, u.id, u."collectionId", u."values", u.version, u."createdAt", u."updatedAt", u."updatedById", u."deletedAt",
         p.name AS "updatedByName", u.changes, NULL::text AS role, NULL::jsonb AS "baseSnapshot", NULL::jsonb AS "boundViolations", true AS "isLocked",
         (SELECT "lockMs" FROM next LIMIT 1)::float8 AS "lockMs", false AS "isArchived"
  FROM updated u JOIN users p ON p.id = u."updatedById"
  WHERE ${TOTALS_HELD}
  UNION ALL
  -- Nothing written: the row as this statement saw it (or as it locked it), the actor's role, and the
  -- values at the expected version when the row is at another one.
  SELECT 'refused', r.id, r."collectionId", COALESCE(d."values", r."values"), COALESCE(d.version, r.version), r."createdAt",
         COALESCE(d."updatedAt", r."updatedAt"), COALESCE(d."updatedById", r."updatedById"), CASE WHEN d.id IS NULL THEN r."deletedAt" ELSE d."deletedAt" END,
         p.name, NULL::jsonb, m.role, v.snapshot, d."boundViolations", d.id IS NOT NULL, d."lockMs"::float8, ${IS_ARCHIVED_NOW}
  FROM records r
  JOIN collections c ON c.id = r."collectionId"
  LEFT JOIN diff d ON d.id = r.id
  JOIN users p ON p.id = COALESCE(d."updatedById", r."updatedById")
  LEFT JOIN memberships m ON m."workspaceId" = c."workspaceId" AND m."userId" = $3::text
  LEFT JOIN revisions v ON $2::int IS NOT NULL AND v."recordId" = r.id AND v.version = $2::int AND r.version <> $2::int
  WHERE r.id = $1::uuid AND NOT EXISTS (SELECT 1 FROM updated)`;

// $1 collection, $2 actor, $3 roles, $4 values, $5 idempotency key, $6 request hash, $7 replay status,
// $8 an import's checkpoint (null: not an import)
export const CREATE_SQL = `
  WITH ${leaseCte("$8")}, target AS (
    SELECT c.id AS "collectionId", g.gate -> 'limits' AS limits FROM collections c ${GATE}
    WHERE c.id = $1::uuid AND EXISTS (
      SELECT 1 FROM memberships m WHERE m."workspaceId" = c."workspaceId" AND m."userId" = $2::text AND m.role = ANY ($3::text[]))
      AND ${IS_OPEN} AND ${holdsLease("$8")}
  ), ${totalsCtes(
    "target",
    () => "0",
    (field) => num(`$4::jsonb -> ${field}`),
  )}, created AS (
    INSERT INTO records ("collectionId", "values", version, "updatedById")
    SELECT "collectionId", $4::jsonb, 1, $2::text FROM target
    RETURNING ${RECORD_COLUMNS}
  ), changes AS (
    SELECT COALESCE(jsonb_object_agg(key, jsonb_build_object('from', 'null'::jsonb, 'to', value)), '{}'::jsonb) AS changes
    FROM jsonb_each($4::jsonb) WHERE value <> 'null'::jsonb
  ), revision AS (
    INSERT INTO revisions ("recordId", version, kind, "authorId", changes, snapshot, "createdAt")
    SELECT c.id, 1, 'create', c."updatedById", ch.changes, c."values", c."createdAt" FROM created c, changes ch
  ), idempotency AS (
    INSERT INTO idempotency_keys ("userId", key, "requestHash", status, headers, body)
    SELECT $2::text, $5::text, $6::text, $7::int, '{}'::jsonb, jsonb_build_object('recordId', id, 'version', version)
    FROM created WHERE $5::text IS NOT NULL
  ), ${checkpointCte("$8", "created")}
  SELECT 'saved' AS outcome, c.id, c."collectionId", c."values", c.version, c."createdAt", c."updatedAt", c."updatedById", c."deletedAt",
         p.name AS "updatedByName", ch.changes, NULL::text AS role, false AS "isArchived", false AS "isSuperseded"
  FROM created c JOIN users p ON p.id = c."updatedById" CROSS JOIN changes ch
  WHERE ${TOTALS_HELD}
  UNION ALL
  SELECT 'refused', NULL::uuid, c.id, NULL::jsonb, NULL::int, NULL::timestamptz, NULL::timestamptz, NULL::text, NULL::timestamptz,
         NULL::text, NULL::jsonb, m.role, ${IS_ARCHIVED_NOW}, ${isSuperseded("$8")}
  FROM collections c LEFT JOIN memberships m ON m."workspaceId" = c."workspaceId" AND m."userId" = $2::text
  WHERE c.id = $1::uuid AND NOT EXISTS (SELECT 1 FROM created)`;

/**
 * What a collection's live records add up to in one field, counted as every write counts it: the
 * total a new limit starts from. $1 collection, $2 field
 */
export const LIVE_TOTAL_SQL = `
  SELECT COALESCE(sum(${num(`"values" -> $2::text`)}), 0) AS used FROM records WHERE "collectionId" = $1::uuid AND "deletedAt" IS NULL`;

/** The state of a limit after a refusal, for the 409's numbers. */
export const LIMIT_STATE_SQL = `
  SELECT ct.used, (l ->> 'max')::numeric AS max
  FROM collections c CROSS JOIN jsonb_array_elements(c.limits) l
  LEFT JOIN collection_totals ct ON ct."collectionId" = c.id AND ct.field = l ->> 'field'
  WHERE c.id = $1::uuid AND l ->> 'kind' = 'sum' AND l ->> 'field' = $2::text`;

// A transfer of quantity between two live records of one collection: both rows are locked in a
// fixed order (by id, so two opposite transfers cannot deadlock), both bounds are checked on the
// values about to be written, and both records get a version and a revision, or neither.
// The collection's totals do not move (−amount and +amount). $1 from, $2 to, $3 collection,
// $4 field, $5 amount, $6 actor, $7 roles, $8 idempotency key, $9 hash, $10 status
export const TRANSFER_SQL = `
  WITH locked AS (
    SELECT r.id, r."values", r.version, c.fields
    FROM records r JOIN collections c ON c.id = r."collectionId" ${GATE}
    WHERE r.id IN ($1::uuid, $2::uuid) AND r."collectionId" = $3::uuid AND r."deletedAt" IS NULL
      AND EXISTS (SELECT 1 FROM memberships m WHERE m."workspaceId" = c."workspaceId" AND m."userId" = $6::text AND m.role = ANY ($7::text[]))
      AND ${IS_OPEN}
    ORDER BY r.id
    FOR UPDATE OF r
  ), moves AS (
    SELECT l.id, l."values", CASE WHEN l.id = $1::uuid THEN -$5::numeric ELSE $5::numeric END AS delta,
           ${num(`l."values" -> $4::text`)} AS before,
           (f.def -> 'options' ->> 'min')::numeric AS min, (f.def -> 'options' ->> 'max')::numeric AS max
    FROM locked l
    LEFT JOIN LATERAL (SELECT d AS def FROM jsonb_array_elements(l.fields) d WHERE d ->> 'key' = $4::text LIMIT 1) f ON true
  ), verdict AS (
    SELECT count(*) = 2 AS "isBoth",
           (SELECT jsonb_agg(jsonb_build_object('field', $4::text, 'recordId', id, 'min', min, 'max', max, 'current', before, 'requested', delta))
            FROM moves WHERE before + delta < min OR before + delta > max OR abs(before + delta) > 9007199254740991) AS "boundViolations"
    FROM moves
  ), updated AS (
    UPDATE records r SET "values" = r."values" || jsonb_build_object($4::text, m.before + m.delta), version = r.version + 1,
           "updatedAt" = now(), "updatedById" = $6::text
    FROM moves m, verdict v
    WHERE r.id = m.id AND v."isBoth" AND v."boundViolations" IS NULL
    RETURNING r.${RECORD_COLUMNS.split(", ").join(", r.")},
              jsonb_build_object($4::text, jsonb_build_object('from', m.before, 'to', m.before + m.delta, 'add', m.delta)) AS changes
  ), revision AS (
    INSERT INTO revisions ("recordId", version, kind, "authorId", changes, snapshot, meta, "createdAt")
    SELECT id, version, 'save', $6::text, changes, "values",
           jsonb_build_object('transfer', jsonb_build_object('field', $4::text, 'amount', $5::numeric,
             'direction', CASE WHEN id = $1::uuid THEN 'out' ELSE 'in' END, 'other', CASE WHEN id = $1::uuid THEN $2::uuid ELSE $1::uuid END)),
           "updatedAt"
    FROM updated
  ), idempotency AS (
    INSERT INTO idempotency_keys ("userId", key, "requestHash", status, headers, body)
    SELECT $6::text, $8::text, $9::text, $10::int, '{}'::jsonb,
           jsonb_build_object('recordId', f.id, 'version', f.version, 'also', jsonb_build_object('recordId', t.id, 'version', t.version))
    FROM updated f, updated t WHERE f.id = $1::uuid AND t.id = $2::uuid AND $8::text IS NOT NULL
  )
  SELECT 'saved' AS outcome, u.id, u."collectionId", u."values", u.version, u."createdAt", u."updatedAt", u."updatedById", u."deletedAt",
         p.name AS "updatedByName", u.changes, NULL::text AS role, NULL::jsonb AS "boundViolations", false AS "isArchived"
  FROM updated u JOIN users p ON p.id = u."updatedById"
  UNION ALL
  SELECT 'refused', r.id, r."collectionId", r."values", r.version, r."createdAt", r."updatedAt", r."updatedById", r."deletedAt",
         p.name, NULL::jsonb, m.role, (SELECT "boundViolations" FROM verdict), ${IS_ARCHIVED_NOW}
  FROM records r JOIN collections c ON c.id = r."collectionId" JOIN users p ON p.id = r."updatedById"
  LEFT JOIN memberships m ON m."workspaceId" = c."workspaceId" AND m."userId" = $6::text
  WHERE r.id IN ($1::uuid, $2::uuid) AND r."collectionId" = $3::uuid AND NOT EXISTS (SELECT 1 FROM updated)`;

// Many records of one collection without limits (an import batch): one statement inserts them all
// with their create revisions (the outbox trigger writes their events). A collection with limits
// (as the gate says, not as an earlier read did) gets nothing: its rows are created one by one, each
// checked against the totals. $1 collection, $2 actor, $3 roles, $4 jsonb array of values, $5 the
// import's checkpoint (null: none)
export const CREATE_MANY_SQL = `
  WITH ${leaseCte("$5")}, target AS (
    SELECT c.id AS "collectionId" FROM collections c ${GATE}
    WHERE c.id = $1::uuid AND EXISTS (
      SELECT 1 FROM memberships m WHERE m."workspaceId" = c."workspaceId" AND m."userId" = $2::text AND m.role = ANY ($3::text[]))
      AND ${IS_OPEN} AND jsonb_array_length(g.gate -> 'limits') = 0 AND ${holdsLease("$5")}
  ), input AS (
    SELECT t.v, t.ord FROM jsonb_array_elements($4::jsonb) WITH ORDINALITY AS t(v, ord)
  ), created AS (
    INSERT INTO records ("collectionId", "values", version, "updatedById")
    SELECT target."collectionId", input.v, 1, $2::text FROM target CROSS JOIN input ORDER BY input.ord
    RETURNING ${RECORD_COLUMNS}
  ), revision AS (
    INSERT INTO revisions ("recordId", version, kind, "authorId", changes, snapshot, "createdAt")
    SELECT c.id, 1, 'create', c."updatedById",
           (SELECT COALESCE(jsonb_object_agg(key, jsonb_build_object('from', 'null'::jsonb, 'to', value)), '{}'::jsonb)
            FROM jsonb_each(c."values") WHERE value <> 'null'::jsonb),
           c."values", c."createdAt"
    FROM created c
  ), ${checkpointCte("$5", "created")}
  SELECT 'saved' AS outcome, c.id, c."collectionId", c."values", c.version, c."createdAt", c."updatedAt", c."updatedById", c."deletedAt",
         p.name AS "updatedByName", NULL::text AS role, false AS "isArchived", false AS "hasLimits", false AS "isSuperseded"
  FROM created c JOIN users p ON p.id = c."updatedById"
  UNION ALL
  SELECT 'refused', NULL::uuid, c.id, NULL::jsonb, NULL::int, NULL::timestamptz, NULL::timestamptz, NULL::text, NULL::timestamptz, NULL::text, m.role,
         (g.gate ->> 'isArchived')::boolean, jsonb_array_length(g.gate -> 'limits') > 0, ${isSuperseded("$5")}
  FROM collections c ${GATE} LEFT JOIN memberships m ON m."workspaceId" = c."workspaceId" AND m."userId" = $2::text
  WHERE c.id = $1::uuid AND NOT EXISTS (SELECT 1 FROM created)`;

// A burst of counter operations on one record, planned on top of a version this process knows
// (lib/ops-batch.ts), written as one statement: guarded by that version, by the fields the plan
// used, by the collection's gate (not archived) and by every author's membership, so that
// anything else having happened writes nothing (and the operations are written one by one
// instead). One version and one revision per operation, each with its own author, changes,
// snapshot and idempotency key; the totals move by the burst's sum, conditionally, as for any
// write. $1 record, $2 version planned on, $3 the fields planned with, $4 roles, $5 operations
// [{n (1, 2, …), actor, patch (counter values after it), changes, key, hash, status}] in order,
// $6 counter values after the last
export const OPS_BURST_SQL = `
  WITH ops AS (
    SELECT o.actor, o.patch, o.changes, o.key, o.hash, o.status, o.n
    FROM jsonb_to_recordset($5::jsonb) AS o(n int, actor text, patch jsonb, changes jsonb, key text, hash text, status int)
  ), target AS (
    SELECT r.id, r."collectionId", r."values", r."deletedAt", g.gate -> 'limits' AS limits, r."values" || $6::jsonb AS "newValues", false AS "isDeletedAfter",
           extract(epoch FROM clock_timestamp() - statement_timestamp()) * 1000 AS "lockMs"
    FROM records r JOIN collections c ON c.id = r."collectionId" ${GATE}
    WHERE r.id = $1::uuid AND r.version = $2::int AND r."deletedAt" IS NULL AND c.fields = $3::jsonb AND ${IS_OPEN}
      AND NOT EXISTS (SELECT 1 FROM ops o WHERE NOT EXISTS (
        SELECT 1 FROM memberships m WHERE m."workspaceId" = c."workspaceId" AND m."userId" = o.actor AND m.role = ANY ($4::text[])))
    FOR UPDATE OF r
  ), ${totalsCtes(
    "target",
    (field) => num(`s."values" -> ${field}`),
    (field) => num(`s."newValues" -> ${field}`),
  )}, updated AS (
    UPDATE records r SET "values" = t."newValues", version = $2::int + (SELECT count(*) FROM ops)::int, "updatedAt" = now(),
           "updatedById" = (SELECT actor FROM ops ORDER BY n DESC LIMIT 1)
    FROM target t WHERE r.id = t.id
    RETURNING r.id, r."collectionId", r."createdAt", r."updatedAt", t."values" AS "baseValues", t."lockMs"
  ), revision AS (
    INSERT INTO revisions ("recordId", version, kind, "authorId", changes, snapshot, "createdAt")
    SELECT u.id, $2::int + o.n, 'save', o.actor, o.changes, u."baseValues" || o.patch, u."updatedAt" FROM updated u CROSS JOIN ops o ORDER BY o.n
  ), idempotency AS (
    INSERT INTO idempotency_keys ("userId", key, "requestHash", status, headers, body)
    SELECT o.actor, o.key, o.hash, o.status, '{}'::jsonb, jsonb_build_object('recordId', u.id, 'version', $2::int + o.n)
    FROM updated u CROSS JOIN ops o WHERE o.key IS NOT NULL
  )
  SELECT o.n, u.id, u."collectionId", u."baseValues" || o.patch AS "values", $2::int + o.n AS version, u."createdAt", u."updatedAt",
         o.actor AS "updatedById", p.name AS "updatedByName", NULL::timestamptz AS "deletedAt", o.changes, u."lockMs"::float8 AS "lockMs"
  FROM updated u CROSS JOIN ops o JOIN users p ON p.id = o.actor
  WHERE ${TOTALS_HELD}
  ORDER BY o.n`;
