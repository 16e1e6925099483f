"use client";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import type { CollectionDto, FieldValue, RecordValues } from "@/lib/types";
import { emptyValue, validateValues } from "@/lib/fields";
import { api, ApiError, messageOf, type Member } from "@/components/api/client";
import { FieldRow } from "@/components/fields/field-row";
import { Button } from "@/components/ui/button";
import { ErrorBlock, LoadingBlock } from "@/components/ui/states";

export function NewRecordForm({ collectionId }: { collectionId: string }) {
  const router = useRouter();
  const [collection, setCollection] = useState<CollectionDto | null>(null);
  const [members, setMembers] = useState<Member[]>([]);
  const [values, setValues] = useState<RecordValues>({});
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [loadError, setLoadError] = useState<string | null>(null);
  const [isBusy, setIsBusy] = useState(false);

  useEffect(() => {
    api.collection(collectionId).then(setCollection, (e) => setLoadError(messageOf(e)));
    api.members(collectionId).then(setMembers, () => setMembers([]));
  }, [collectionId]);

  if (loadError) return <ErrorBlock title="Couldn’t load this collection" message={loadError} />;
  if (!collection) return <LoadingBlock label="Loading form" rows={6} />;
  const valueOf = (key: string): FieldValue => values[key] ?? emptyValue(collection.fields.find((f) => f.key === key)!);

  const create = async () => {
    const check = validateValues(collection.fields, values, "create");
    if (!check.ok) return setErrors(check.errors);
    setIsBusy(true);
    try {
      const { record } = await api.createRecord(collection.id, values);
      router.replace(`/records/${record.id}`);
    } catch (e) {
      setIsBusy(false);
      setErrors(e instanceof ApiError && e.fieldErrors ? e.fieldErrors : { _: messageOf(e) });
    }
  };

  return (
    <div className="space-y-5">
      <div>
        <nav aria-label="Breadcrumb" className="text-sm text-slate-500">
          <Link href={`/collections/${collection.id}`} className="hover:text-slate-800">{collection.name}</Link>
        </nav>
        <h1 className="mt-1 text-2xl font-semibold tracking-tight">New record</h1>
      </div>
      <form aria-label="New record" onSubmit={(e) => { e.preventDefault(); void create(); }} className="grid gap-x-6 gap-y-5 rounded-xl border border-slate-200 bg-white p-6 shadow-sm sm:grid-cols-2">
        {collection.fields.map((def) => (
          <div key={def.key} className={["longtext", "richtext", "tags"].includes(def.type) ? "sm:col-span-2" : ""}>
            <FieldRow def={def} value={valueOf(def.key)} members={members} isReadOnly={false} error={errors[def.key]}
              onChange={(v) => { setValues((s) => ({ ...s, [def.key]: v })); setErrors(({ [def.key]: _, ...rest }) => rest); }} />
          </div>
        ))}
        {errors._ && <p role="alert" className="text-sm text-rose-700 sm:col-span-2">{errors._}</p>}
        <div className="flex gap-2 sm:col-span-2">
          <Button type="submit" variant="primary" disabled={isBusy}>{isBusy ? "Creating…" : "Create record"}</Button>
          <Button onClick={() => router.back()}>Cancel</Button>
        </div>
      </form>
    </div>
  );
}
