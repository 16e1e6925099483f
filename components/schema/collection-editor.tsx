"use client";
// The collection editor for owners: the name, the fields (add, relabel, reorder, remove and
// restore; choices, required, bounds, length, always ask) and the collection's limits (sum of a
// field ≤ N: add, change, remove). A type change is previewed first and applied with its
// conversions; a stale save shows each conflicting part with keep mine / take theirs, and nothing
// typed is lost whatever happens.
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import { ApiError, api, messageOf, type ConversionPreview, type SchemaDto } from "@/components/api/client";
import { INPUT_CLASS } from "@/components/fields/types";
import { Button } from "@/components/ui/button";
import { ErrorBlock, LoadingBlock } from "@/components/ui/states";
import { SchemaHistory } from "./schema-history";
import { applySchemaChoices, type SchemaConflict, type SchemaMerge } from "@/lib/schema";
import { FIELD_TYPES, type CollectionLimit, type FieldDef, type FieldType } from "@/lib/types";
import { LimitsEditor, limitsToSend, type DraftLimit } from "./limits-editor";

type Draft = { name: string; fields: FieldDef[]; removed: FieldDef[]; limits: DraftLimit[] };

const draftLimits = (limits: CollectionLimit[]): DraftLimit[] => limits.map((l) => ({ field: l.field, max: String(l.max) }));
type Stale = { current: SchemaDto; merge: SchemaMerge; choices: Record<string, "mine" | "theirs"> };

const partLabel = (part: string) =>
  part === "_name"
    ? "Collection name"
    : part === "_archived"
      ? "Archived"
      : part === "_order"
        ? "Order of fields"
        : part.startsWith("_limit.")
          ? `Limit on “${part.slice("_limit.".length)}”`
          : `Field “${part}”`;

function describe(value: unknown, part: string): string {
  if (part.startsWith("_limit.")) return value === null ? "no limit" : `at most ${String(value)}`;
  if (value === null || value === undefined) return "(absent)";
  if (typeof value === "string" || typeof value === "boolean") return String(value);
  if (Array.isArray(value)) return value.join(", ");
  const state = value as { def?: FieldDef; removed?: boolean };
  if (state.def) return `${state.def.label} (${state.def.type}${state.def.required ? ", required" : ""})${state.removed ? " — removed" : ""}`;
  return JSON.stringify(value);
}

function newKey(fields: FieldDef[]): string {
  const taken = new Set(fields.map((f) => f.key));
  for (let i = fields.length + 1; ; i++) if (!taken.has(`field_${i}`)) return `field_${i}`;
}

const numberOrUndefined = (text: string) => (text.trim() === "" || Number.isNaN(Number(text)) ? undefined : Number(text));

function withOption(def: FieldDef, name: "min" | "max" | "maxLength" | "choices", value: unknown): FieldDef {
  const options = { ...def.options, [name]: value };
  for (const key of Object.keys(options) as (keyof typeof options)[]) if (options[key] === undefined) delete options[key];
  return { ...def, options: Object.keys(options).length > 0 ? options : undefined };
}

/** Options that do not apply to a type are dropped when the type changes (the server refuses them). */
function withType(def: FieldDef, type: FieldType): FieldDef {
  const keep: Record<string, FieldType[]> = {
    choices: ["select", "tags"],
    min: ["number", "counter"],
    max: ["number", "counter"],
    maxLength: ["text", "longtext", "richtext"],
    integer: ["number"],
    format: ["number", "counter"],
  };
  const options = Object.fromEntries(Object.entries(def.options ?? {}).filter(([name]) => keep[name]?.includes(type)));
  if ((type === "select" || type === "tags") && !options.choices) options.choices = ["Option 1"];
  return { ...def, type, options: Object.keys(options).length > 0 ? options : undefined };
}

function FieldRow({
  def,
  index,
  count,
  isNew,
  errors,
  onChange,
  onMove,
  onRemove,
}: {
  def: FieldDef;
  index: number;
  count: number;
  isNew: boolean;
  errors: Record<string, string>;
  onChange: (def: FieldDef) => void;
  onMove: (by: number) => void;
  onRemove: () => void;
}) {
  const id = `field-${index}`;
  const error = Object.entries(errors)
    .filter(([k]) => k === def.key || k.startsWith(`${def.key}.`))
    .map(([, m]) => m)
    .join("; ");
  return (
    <li className="rounded-lg border border-slate-200 bg-surface p-3" data-testid={`field-row-${def.key}`}>
      <div className="grid gap-2 sm:grid-cols-[1fr_1fr_10rem_auto]">
        <div>
          <label htmlFor={`${id}-label`} className="text-xs font-medium text-slate-600">
            Label
          </label>
          <input id={`${id}-label`} className={INPUT_CLASS} value={def.label} onChange={(e) => onChange({ ...def, label: e.target.value })} />
        </div>
        <div>
          <label htmlFor={`${id}-key`} className="text-xs font-medium text-slate-600">
            Key
          </label>
          <input
            id={`${id}-key`}
            className={INPUT_CLASS}
            value={def.key}
            readOnly={!isNew}
            title={isNew ? undefined : "A field's key never changes: its data is stored under it"}
            onChange={(e) => onChange({ ...def, key: e.target.value })}
          />
        </div>
        <div>
          <label htmlFor={`${id}-type`} className="text-xs font-medium text-slate-600">
            Type
          </label>
          <select id={`${id}-type`} className={INPUT_CLASS} value={def.type} onChange={(e) => onChange(withType(def, e.target.value as FieldType))}>
            {FIELD_TYPES.map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </select>
        </div>
        <div className="flex items-end gap-1">
          <Button size="sm" variant="ghost" aria-label={`Move ${def.label} up`} disabled={index === 0} onClick={() => onMove(-1)}>
            ↑
          </Button>
          <Button size="sm" variant="ghost" aria-label={`Move ${def.label} down`} disabled={index === count - 1} onClick={() => onMove(1)}>
            ↓
          </Button>
          <Button size="sm" variant="danger" aria-label={`Remove ${def.label}`} onClick={onRemove}>
            Remove
          </Button>
        </div>
      </div>
      <div className="mt-2 flex flex-wrap items-end gap-4 text-sm">
        <label className="flex items-center gap-1.5">
          <input type="checkbox" checked={!!def.required} onChange={(e) => onChange({ ...def, required: e.target.checked || undefined })} /> Required
        </label>
        <label className="flex items-center gap-1.5" title="Never merge this field by itself: any change on both sides goes to the dialog">
          <input type="checkbox" checked={!!def.alwaysAsk} onChange={(e) => onChange({ ...def, alwaysAsk: e.target.checked || undefined })} /> Always ask on
          conflicts
        </label>
        {(def.type === "select" || def.type === "tags") && (
          <label className="flex-1 basis-64">
            <span className="text-xs font-medium text-slate-600">Choices (comma-separated)</span>
            <ChoicesInput value={def.options?.choices ?? []} onChange={(choices) => onChange(withOption(def, "choices", choices))} label={def.label} />
          </label>
        )}
        {(def.type === "number" || def.type === "counter") &&
          (["min", "max"] as const).map((name) => (
            <label key={name} className="w-28">
              <span className="text-xs font-medium text-slate-600">{name === "min" ? "Minimum" : "Maximum"}</span>
              <input
                className={INPUT_CLASS}
                inputMode="decimal"
                aria-label={`${def.label} ${name === "min" ? "minimum" : "maximum"}`}
                defaultValue={def.options?.[name] ?? ""}
                onChange={(e) => onChange(withOption(def, name, numberOrUndefined(e.target.value)))}
              />
            </label>
          ))}
        {(def.type === "text" || def.type === "longtext" || def.type === "richtext") && (
          <label className="w-36">
            <span className="text-xs font-medium text-slate-600">Max length</span>
            <input
              className={INPUT_CLASS}
              inputMode="numeric"
              aria-label={`${def.label} max length`}
              defaultValue={def.options?.maxLength ?? ""}
              onChange={(e) => onChange(withOption(def, "maxLength", numberOrUndefined(e.target.value)))}
            />
          </label>
        )}
      </div>
      {error && (
        <p role="alert" className="mt-2 text-sm text-rose-700">
          {error}
        </p>
      )}
    </li>
  );
}

/** Typed as text, kept as typed while editing (a trailing comma is not lost). */
function ChoicesInput({ value, onChange, label }: { value: string[]; onChange: (choices: string[]) => void; label: string }) {
  const [text, setText] = useState(value.join(", "));
  return (
    <input
      className={INPUT_CLASS}
      aria-label={`${label} choices`}
      value={text}
      onChange={(e) => {
        setText(e.target.value);
        onChange(
          e.target.value
            .split(",")
            .map((c) => c.trim())
            .filter(Boolean),
        );
      }}
    />
  );
}

export function CollectionEditor({ collectionId, workspaceId }: { collectionId?: string; workspaceId?: string }) {
  const router = useRouter();
  const [base, setBase] = useState<SchemaDto | null>(null);
  const [draft, setDraft] = useState<Draft>({ name: "", fields: [{ key: "name", label: "Name", type: "text", required: true }], removed: [], limits: [] });
  const [loadError, setLoadError] = useState<string | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [stale, setStale] = useState<Stale | null>(null);
  const [preview, setPreview] = useState<ConversionPreview | null>(null);
  const isCreate = !collectionId;

  useEffect(() => {
    if (!collectionId) return;
    api.schema(collectionId).then(
      (schema) => {
        setBase(schema);
        setDraft({ name: schema.name, fields: schema.fields, removed: schema.removed, limits: draftLimits(schema.limits) });
      },
      (error: unknown) => setLoadError(messageOf(error)),
    );
  }, [collectionId]);

  if (loadError) return <ErrorBlock title="Couldn’t load this collection" message={loadError} back={{ href: "/", label: "Back to your collections" }} />;
  if (!isCreate && !base) return <LoadingBlock label="Loading fields" rows={4} />;

  const knownKeys = new Set([...(base?.fields ?? []), ...(base?.removed ?? [])].map((f) => f.key));
  const setField = (i: number, def: FieldDef) => setDraft((d) => ({ ...d, fields: d.fields.map((f, j) => (j === i ? def : f)) }));
  const move = (i: number, by: number) =>
    setDraft((d) => {
      const fields = [...d.fields];
      const [item] = fields.splice(i, 1);
      fields.splice(i + by, 0, item!);
      return { ...d, fields };
    });
  const remove = (i: number) =>
    setDraft((d) => {
      const def = d.fields[i]!;
      return { ...d, fields: d.fields.filter((_, j) => j !== i), removed: knownKeys.has(def.key) ? [...d.removed, def] : d.removed };
    });
  const restore = (key: string) =>
    setDraft((d) => ({ ...d, fields: [...d.fields, d.removed.find((f) => f.key === key)!], removed: d.removed.filter((f) => f.key !== key) }));
  const add = () => setDraft((d) => ({ ...d, fields: [...d.fields, { key: newKey([...d.fields, ...d.removed]), label: "New field", type: "text" }] }));

  const fail = (error: unknown) => {
    if (error instanceof ApiError && error.fieldErrors) {
      setErrors(error.fieldErrors);
      setMessage(error.message);
    } else if (error instanceof ApiError && error.code === "limit" && typeof error.body.field === "string") {
      // A limit below what is in use: said on the limit, which keeps what was typed.
      setErrors({ [`limits.${error.body.field}`]: error.message });
      setMessage(`Not saved: ${error.message}.`);
    } else setMessage(messageOf(error));
  };

  const save = async (etag: string | undefined, body: Draft, confirmConversions = false) => {
    const limits = limitsToSend(body.limits);
    if (!limits.ok) {
      setErrors(limits.errors);
      setMessage("Some limits need attention before this can be saved.");
      return;
    }
    setBusy(true);
    setErrors({});
    setMessage(null);
    try {
      if (isCreate) {
        const created = await api.createCollection(workspaceId!, { name: body.name, fields: body.fields, limits: limits.limits });
        router.push(`/collections/${created.id}`);
        return;
      }
      const edit = { name: body.name, fields: body.fields, limits: limits.limits };
      const retyped = body.fields.some((f) => base!.fields.some((b) => b.key === f.key && b.type !== f.type));
      if (retyped && !confirmConversions) {
        const answer = await api.patchSchema(collectionId!, etag!, edit, true);
        setPreview(answer.conversions ?? {});
        return;
      }
      const saved = await api.patchSchema(collectionId!, etag!, edit);
      setBase(saved);
      setDraft({ name: saved.name, fields: saved.fields, removed: saved.removed, limits: draftLimits(saved.limits) });
      setStale(null);
      setPreview(null);
      setMessage(`Saved (version ${saved.version}).`);
    } catch (error) {
      if (error instanceof ApiError && error.isStale) {
        const body412 = error.body as { current: SchemaDto; merge: SchemaMerge };
        setStale({ current: body412.current, merge: body412.merge, choices: {} });
        setMessage("Someone changed these fields since you opened them. Choose per part below; your edits are kept.");
      } else fail(error);
    } finally {
      setBusy(false);
    }
  };

  /** Archive is its own edit (the fields being edited stay as typed). */
  const archive = async (archived: boolean) => {
    setBusy(true);
    setMessage(null);
    try {
      const saved = await api.patchSchema(collectionId!, base!.etag, { archived });
      setBase(saved);
      setMessage(archived ? "Archived." : "Unarchived.");
    } catch (error) {
      if (error instanceof ApiError && error.isStale) setMessage("Someone changed this collection meanwhile; reload to see it, your edits stay here.");
      else fail(error);
    } finally {
      setBusy(false);
    }
  };

  const resolve = () => {
    if (!stale) return;
    const next = applySchemaChoices(stale.merge, stale.choices);
    setBase(stale.current);
    const nextDraft = { name: next.name, fields: next.fields, removed: next.removed, limits: draftLimits(next.limits) };
    setDraft(nextDraft);
    void save(stale.current.etag, nextDraft);
  };

  const hasPreviewFailures = preview && Object.values(preview).some((c) => c.failureCount > 0);

  return (
    <div className="space-y-5">
      <div>
        <nav aria-label="Breadcrumb" className="text-sm text-slate-600">
          <Link href="/" className="hover:text-slate-900">
            Collections
          </Link>
          {base && (
            <>
              {" "}
              /{" "}
              <Link href={`/collections/${base.id}`} className="hover:text-slate-900">
                {base.name}
              </Link>
            </>
          )}
        </nav>
        <h1 className="mt-1 text-2xl font-semibold tracking-tight">{isCreate ? "New collection" : "Edit fields"}</h1>
      </div>
      {base?.archived && (
        <p role="status" data-testid="archived-notice" className="rounded-lg border border-amber-200 bg-amber-50 px-4 py-3 text-sm text-amber-900">
          <strong className="font-semibold">Archived.</strong> Its records are read-only, and its name and fields stay as they are: unarchive it (below) to
          change them. Your edits here are kept meanwhile.
        </p>
      )}
      <div className="max-w-md">
        <label htmlFor="collection-name" className="text-sm font-medium text-slate-700">
          Collection name
        </label>
        <input
          id="collection-name"
          className={INPUT_CLASS}
          value={draft.name}
          aria-invalid={!!errors.name}
          onChange={(e) => setDraft((d) => ({ ...d, name: e.target.value }))}
        />
      </div>
      <section aria-label="Fields" className="space-y-2">
        <h2 className="text-lg font-semibold">Fields</h2>
        <ul className="space-y-2">
          {draft.fields.map((def, i) => (
            <FieldRow
              key={`${i}-${def.key}`}
              def={def}
              index={i}
              count={draft.fields.length}
              isNew={!knownKeys.has(def.key)}
              errors={errors}
              onChange={(next) => setField(i, next)}
              onMove={(by) => move(i, by)}
              onRemove={() => remove(i)}
            />
          ))}
        </ul>
        <Button onClick={add}>Add field</Button>
      </section>
      <LimitsEditor
        fields={draft.fields}
        limits={draft.limits}
        used={Object.fromEntries((base?.limits ?? []).map((l) => [l.field, l.used]))}
        errors={errors}
        onChange={(limits) => setDraft((d) => ({ ...d, limits }))}
      />
      {draft.removed.length > 0 && (
        <section aria-label="Removed fields" className="space-y-1 text-sm">
          <h2 className="font-semibold">Removed fields</h2>
          <p className="text-slate-600">Hidden from forms; their data is kept in every record and revision.</p>
          <ul className="space-y-1">
            {draft.removed.map((def) => (
              <li key={def.key} className="flex items-center gap-2">
                {def.label}{" "}
                <span className="text-slate-500">
                  ({def.key}, {def.type})
                </span>
                <Button size="sm" onClick={() => restore(def.key)}>
                  Restore
                </Button>
              </li>
            ))}
          </ul>
        </section>
      )}
      {preview && (
        <section aria-label="Conversion preview" className="rounded-lg bg-amber-50 p-3 text-sm ring-1 ring-amber-200">
          <h2 className="font-semibold">Changing a field’s type converts every record’s value, those in the trash too</h2>
          <ul className="mt-1 space-y-1">
            {Object.entries(preview).map(([key, c]) => (
              <li key={key}>
                <strong>{key}</strong>: {c.from} → {c.to}: {c.changes} value(s) change{c.inTrash.changes > 0 ? ` (${c.inTrash.changes} in the trash)` : ""}
                {c.failureCount > 0
                  ? `, ${c.failureCount} cannot be converted${c.inTrash.failureCount > 0 ? ` (${c.inTrash.failureCount} in the trash)` : ""} (${c.failures[0]?.reason})`
                  : ""}
                .
                {c.samples.slice(0, 3).map((s) => (
                  <span key={s.recordId} className="ml-2 text-slate-600">
                    {JSON.stringify(s.from)} → {JSON.stringify(s.to)}
                  </span>
                ))}
              </li>
            ))}
          </ul>
          <div className="mt-2 flex gap-2">
            <Button variant="primary" disabled={busy || !!hasPreviewFailures} onClick={() => void save(base!.etag, draft, true)}>
              Convert and save
            </Button>
            <Button onClick={() => setPreview(null)}>Back to editing</Button>
          </div>
        </section>
      )}
      {stale && (
        <section aria-label="Conflicting changes" className="rounded-lg bg-rose-50 p-3 text-sm ring-1 ring-rose-200">
          <h2 className="font-semibold">Changed by someone else meanwhile</h2>
          {stale.merge.conflicts.length === 0 && <p>Their changes touch other parts: yours merge with them.</p>}
          <ul className="mt-1 space-y-2">
            {stale.merge.conflicts.map((c: SchemaConflict) => (
              <li key={c.part}>
                <div className="font-medium">{partLabel(c.part)}</div>
                <div>
                  Yours: {describe(c.mine, c.part)} · Theirs: {describe(c.theirs, c.part)}
                </div>
                <div className="mt-1 flex gap-2">
                  {(["mine", "theirs"] as const).map((side) => (
                    <label key={side} className="flex items-center gap-1">
                      <input
                        type="radio"
                        name={`choice-${c.part}`}
                        checked={stale.choices[c.part] === side}
                        onChange={() => setStale((s) => (s ? { ...s, choices: { ...s.choices, [c.part]: side } } : s))}
                      />
                      {side === "mine" ? "Keep mine" : "Take theirs"}
                    </label>
                  ))}
                </div>
              </li>
            ))}
          </ul>
          <div className="mt-2 flex gap-2">
            <Button variant="primary" disabled={busy || stale.merge.conflicts.some((c) => !stale.choices[c.part])} onClick={resolve}>
              Save merged fields
            </Button>
            <Button onClick={() => setStale(null)}>Cancel (keep editing)</Button>
          </div>
        </section>
      )}
      {message && (
        <p role="status" className="text-sm text-slate-700">
          {message}
        </p>
      )}
      {errors._ && (
        <p role="alert" className="text-sm text-rose-700">
          {errors._}
        </p>
      )}
      <div className="flex gap-2">
        <Button variant="primary" disabled={busy || !!stale || !!base?.archived} onClick={() => void save(base?.etag, draft)}>
          {isCreate ? "Create collection" : "Save fields"}
        </Button>
        {base && (
          <Button disabled={busy || !!stale} onClick={() => void archive(!base.archived)}>
            {base.archived ? "Unarchive collection" : "Archive collection"}
          </Button>
        )}
        {base && (
          <Link href={`/collections/${base.id}`} className="self-center text-sm text-indigo-700 underline">
            Back to records
          </Link>
        )}
      </div>
      {base && <SchemaHistory collectionId={base.id} version={base.version} />}
    </div>
  );
}
