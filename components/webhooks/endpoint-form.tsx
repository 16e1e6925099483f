"use client";
// The form for a new endpoint or a change to one: URL, what to send, from which collection. A
// refusal shows beside the field it names, and what was typed stays.
import { useId, useState, type FormEvent } from "react";
import { WEBHOOK_EVENT_LABELS, WEBHOOK_EVENTS, type WebhookEvent } from "@/lib/webhooks";
import { ApiError, messageOf, type WebhookInput } from "@/components/api/client";
import { Button } from "@/components/ui/button";

export type CollectionChoice = { id: string; name: string };

type Props = {
  initial?: WebhookInput;
  collections: CollectionChoice[];
  submitLabel: string;
  onSubmit: (input: WebhookInput) => Promise<void>;
  onCancel?: () => void;
};

export function EndpointForm({ initial, collections, submitLabel, onSubmit, onCancel }: Props) {
  const id = useId();
  const [url, setUrl] = useState(initial?.url ?? "");
  const [description, setDescription] = useState(initial?.description ?? "");
  const [events, setEvents] = useState<WebhookEvent[]>(initial?.events ?? ["record.created", "record.saved", "record.deleted"]);
  const [collectionId, setCollectionId] = useState<string | null>(initial?.collectionId ?? null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [isBusy, setIsBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const local: Record<string, string> = {};
    if (!url.trim()) local.url = "Give the address that receives the events";
    if (events.length === 0) local.events = "Choose at least one event";
    setErrors(local);
    setError(null);
    if (Object.keys(local).length > 0) return;
    setIsBusy(true);
    try {
      await onSubmit({ url: url.trim(), description: description.trim(), events, collectionId });
    } catch (e) {
      const fields = e instanceof ApiError ? e.fieldErrors : null;
      if (fields) setErrors(fields);
      else setError(messageOf(e));
    } finally {
      setIsBusy(false);
    }
  };

  const toggle = (name: WebhookEvent) => setEvents((list) => (list.includes(name) ? list.filter((e) => e !== name) : [...list, name]));
  const fieldClass =
    "w-full rounded-md border border-slate-300 bg-surface px-3 py-2 text-sm text-slate-900 focus-visible:outline-2 focus-visible:outline-indigo-600";
  return (
    <form onSubmit={submit} noValidate className="space-y-4">
      <div className="space-y-1">
        <label htmlFor={`${id}-url`} className="text-sm font-medium text-slate-800">
          Receiver URL
        </label>
        <input
          id={`${id}-url`}
          type="url"
          inputMode="url"
          autoComplete="off"
          placeholder="https://hooks.example.com/tandem"
          value={url}
          onChange={(e) => setUrl(e.target.value)}
          aria-invalid={!!errors.url}
          aria-describedby={errors.url ? `${id}-url-error` : undefined}
          className={fieldClass}
        />
        {errors.url && (
          <p id={`${id}-url-error`} className="text-sm text-rose-700">
            {errors.url}
          </p>
        )}
      </div>
      <div className="space-y-1">
        <label htmlFor={`${id}-description`} className="text-sm font-medium text-slate-800">
          Description <span className="font-normal text-slate-500">(optional)</span>
        </label>
        <input id={`${id}-description`} maxLength={200} value={description} onChange={(e) => setDescription(e.target.value)} className={fieldClass} />
      </div>
      <fieldset className="space-y-1" aria-describedby={errors.events ? `${id}-events-error` : undefined}>
        <legend className="text-sm font-medium text-slate-800">Events</legend>
        <div className="grid gap-1 sm:grid-cols-2">
          {WEBHOOK_EVENTS.map((name) => (
            <label key={name} className="flex items-start gap-2 rounded-md px-1 py-1 text-sm text-slate-800 hover:bg-slate-50">
              <input type="checkbox" checked={events.includes(name)} onChange={() => toggle(name)} className="mt-0.5" />
              <span>{WEBHOOK_EVENT_LABELS[name]}</span>
            </label>
          ))}
        </div>
        {errors.events && (
          <p id={`${id}-events-error`} className="text-sm text-rose-700">
            {errors.events}
          </p>
        )}
      </fieldset>
      <div className="space-y-1">
        <label htmlFor={`${id}-collection`} className="text-sm font-medium text-slate-800">
          From
        </label>
        <select id={`${id}-collection`} value={collectionId ?? ""} onChange={(e) => setCollectionId(e.target.value || null)} className={fieldClass}>
          <option value="">Every collection in the workspace</option>
          {collections.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
            </option>
          ))}
        </select>
        {errors.collectionId && <p className="text-sm text-rose-700">{errors.collectionId}</p>}
      </div>
      {error && (
        <p role="alert" className="text-sm text-rose-700">
          {error}
        </p>
      )}
      <div className="flex flex-wrap gap-2">
        <Button type="submit" variant="primary" disabled={isBusy}>
          {isBusy ? "Saving…" : submitLabel}
        </Button>
        {onCancel && (
          <Button onClick={onCancel} disabled={isBusy}>
            Cancel
          </Button>
        )}
      </div>
    </form>
  );
}
