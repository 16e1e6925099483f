"use client";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import type { CollectionDto, FieldValue, RecordValues } from "@/lib/types";
import { emptyValue } from "@/lib/fields";
import { api, ApiError, messageOf, type Member } from "@/components/api/client";
import { FieldRow } from "@/components/fields/field-row";
import { firstErrorKey, focusField, formErrors } from "@/components/fields/form-check";
import { useDocumentTitle } from "@/components/shell/use-document-title";
import { Button } from "@/components/ui/button";
import { userLocale } from "@/components/ui/format";
import { ErrorBlock, LoadingBlock } from "@/components/ui/states";

export function NewRecordForm({ collectionId }: { collectionId: string }) {
  const router = useRouter();
  const [collection, setCollection] = useState<CollectionDto | null>(null);
  const [members, setMembers] = useState<Member[]>([]);
  const [values, setValues] = useState<RecordValues>({});
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [loadError, setLoadError] = useState<{ message: string; status: number | null } | null>(null);
  const [isBusy, setIsBusy] = useState(false);
  useDocumentTitle(["New record", collection?.name, collection?.workspaceName]);

  useEffect(() => {
    api.collection(collectionId).then(setCollection, (e) => setLoadError({ message: messageOf(e), status: e instanceof ApiError ? e.status : null }));
    api.members(collectionId).then(setMembers, () => setMembers([]));
  }, [collectionId]);

  if (loadError) {
    return (
      <ErrorBlock
        title={loadError.status === 404 ? "There is no such collection" : "Couldn’t load this collection"}
        message={loadError.message}
        back={{ href: "/", label: "Back to your collections" }}
      />
    );
  }
  if (!collection) return <LoadingBlock label="Loading form" rows={6} />;
  if (collection.archivedAt) {
    return (
      <ErrorBlock
        title="This collection is archived"
        message={`${collection.name} is read-only: no records can be added until an owner unarchives it.`}
        back={{ href: `/collections/${collection.id}`, label: `Back to ${collection.name}` }}
      />
    );
  }
  // Viewers are told before they type anything, not after.
  if (!collection.permissions["record.create"]) {
    return (
      <ErrorBlock
        title="You can’t add records here"
        message={`You have view access to ${collection.name}: you can read its records, not create them. Ask an owner for editor access.`}
        back={{ href: `/collections/${collection.id}`, label: `Back to ${collection.name}` }}
      />
    );
  }
  const valueOf = (key: string): FieldValue => values[key] ?? emptyValue(collection.fields.find((f) => f.key === key)!);
  const refuse = (found: Record<string, string>) => {
    setErrors(found);
    const first = firstErrorKey(collection.fields, found);
    if (first) requestAnimationFrame(() => focusField(`field-${first}`));
  };

  const create = async () => {
    const found = formErrors(collection.fields, values, "create", userLocale());
    if (Object.keys(found).length > 0) return refuse(found);
    setIsBusy(true);
    try {
      const { record } = await api.createRecord(collection.id, values);
      router.replace(`/records/${record.id}`);
    } catch (e) {
      setIsBusy(false);
      refuse(e instanceof ApiError && e.fieldErrors ? e.fieldErrors : { _: messageOf(e) });
    }
  };
  const errorCount = Object.keys(errors).filter((k) => k !== "_").length;

  return (
    <div className="space-y-5">
      <div>
        <nav aria-label="Breadcrumb" className="text-sm text-slate-600">
          <Link href={`/collections/${collection.id}`} className="hover:text-slate-900">
            {collection.name}
          </Link>
        </nav>
        <h1 className="mt-1 text-2xl font-semibold tracking-tight">New record</h1>
      </div>
      <form
        aria-label="New record"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void create();
        }}
        className="grid min-w-0 gap-x-6 gap-y-5 rounded-xl border border-slate-200 bg-surface p-4 shadow-sm sm:grid-cols-2 sm:p-6"
      >
        {collection.fields.map((def) => (
          <div key={def.key} className={`min-w-0 ${["longtext", "richtext", "tags"].includes(def.type) ? "sm:col-span-2" : ""}`}>
            <FieldRow
              def={def}
              value={valueOf(def.key)}
              members={members}
              isReadOnly={false}
              error={errors[def.key]}
              onChange={(v) => {
                setValues((s) => ({ ...s, [def.key]: v }));
                setErrors(({ [def.key]: _, ...rest }) => rest);
              }}
            />
          </div>
        ))}
        {errorCount > 0 && (
          <p role="alert" className="text-sm text-rose-700 sm:col-span-2">
            {errorCount === 1 ? "One field needs attention." : `${errorCount} fields need attention.`} Nothing was created yet.
          </p>
        )}
        {errors._ && (
          <p role="alert" className="text-sm text-rose-700 sm:col-span-2">
            {errors._}
          </p>
        )}
        <div className="flex gap-2 sm:col-span-2">
          <Button type="submit" variant="primary" disabled={isBusy}>
            {isBusy ? "Creating…" : "Create record"}
          </Button>
          <Button onClick={() => router.back()}>Cancel</Button>
        </div>
      </form>
    </div>
  );
}
