"use client";
// Owners' webhooks for one workspace: the endpoints (with a notice for any that were disabled),
// a form for a new one, and per endpoint its delivery log, changes, a new secret, enable/disable
// and delete. Members who are not owners are told who can do this.
import Link from "next/link";
import { useCallback, useEffect, useState } from "react";
import type { WebhookDto } from "@/lib/webhooks";
import { api, ApiError, messageOf, type WithSecret } from "@/components/api/client";
import { useSession } from "@/components/shell/session";
import { useDocumentTitle } from "@/components/shell/use-document-title";
import { Button } from "@/components/ui/button";
import { formatRelative } from "@/components/ui/format";
import { LoadingBlock, OwnersPageError } from "@/components/ui/states";
import { DeliveryLog } from "./delivery-log";
import { EndpointForm, type CollectionChoice } from "./endpoint-form";
import { SecretDialog } from "./secret-dialog";
import { disabledNotice, eventsText } from "./webhook-text";

export function WebhooksPage({ workspaceId }: { workspaceId: string }) {
  const { me } = useSession();
  const collections: CollectionChoice[] = (me?.collections ?? []).filter((c) => c.workspaceId === workspaceId).map((c) => ({ id: c.id, name: c.name }));
  const workspaceName = me?.collections.find((c) => c.workspaceId === workspaceId)?.workspaceName ?? null;
  useDocumentTitle(["Webhooks", workspaceName]);
  const [webhooks, setWebhooks] = useState<WebhookDto[] | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [isAdding, setIsAdding] = useState(false);
  const [secret, setSecret] = useState<(WithSecret & { isRotation: boolean }) | null>(null);

  const load = useCallback(async () => {
    try {
      setWebhooks(await api.webhooks(workspaceId));
      setError(null);
    } catch (e) {
      setError(e instanceof ApiError ? e : new ApiError(0, "network", messageOf(e), {}, null));
    }
  }, [workspaceId]);
  useEffect(() => void load(), [load]);

  if (error && !webhooks) {
    return (
      <OwnersPageError
        error={error}
        forOwners={{ title: "Webhooks are for owners", message: "Only the workspace's owners manage its webhooks. Ask one of them to add or change one." }}
        title="Couldn’t load the webhooks"
        onRetry={load}
      />
    );
  }
  const notice = webhooks ? disabledNotice(webhooks) : null;
  return (
    <div className="space-y-6">
      <div>
        <p className="text-sm text-slate-600">
          <Link href="/" className="underline underline-offset-2">
            Collections
          </Link>
          {workspaceName && ` · ${workspaceName}`}
        </p>
        <h1 className="text-2xl font-semibold tracking-tight">Webhooks</h1>
        <p className="mt-1 max-w-2xl text-sm text-slate-600">
          Each saved version of a record is sent to your endpoints as it is committed: the event id (the same in every retry), its type, the record and version,
          who made it, and every field changed from → to, signed with the endpoint’s secret. Failed deliveries are retried for about a day, in version order per
          record.
        </p>
      </div>
      {notice && (
        <div role="alert" className="rounded-lg border border-rose-200 bg-rose-50 px-4 py-3 text-sm text-rose-900">
          {notice}
        </div>
      )}
      {!webhooks ? (
        <LoadingBlock label="Loading webhooks" rows={2} />
      ) : (
        <>
          {webhooks.length === 0 && !isAdding && <p className="text-sm text-slate-600">No webhooks yet.</p>}
          <ul className="space-y-4">
            {webhooks.map((w) => (
              <li key={w.id}>
                <EndpointCard webhook={w} collections={collections} onChanged={load} onSecret={(s) => setSecret({ ...s, isRotation: true })} />
              </li>
            ))}
          </ul>
          {isAdding ? (
            <section aria-labelledby="new-webhook" className="rounded-xl border border-slate-200 bg-surface p-5 shadow-sm">
              <h2 id="new-webhook" className="mb-3 font-semibold text-slate-900">
                New webhook
              </h2>
              <EndpointForm
                collections={collections}
                submitLabel="Add webhook"
                onCancel={() => setIsAdding(false)}
                onSubmit={async (input) => {
                  const created = await api.createWebhook(workspaceId, input);
                  setIsAdding(false);
                  setSecret({ ...created, isRotation: false });
                  await load();
                }}
              />
            </section>
          ) : (
            <Button variant="primary" onClick={() => setIsAdding(true)}>
              Add a webhook
            </Button>
          )}
          <VerifyHelp />
        </>
      )}
      {secret && <SecretDialog secret={secret.secret} url={secret.webhook.url} isRotation={secret.isRotation} onClose={() => setSecret(null)} />}
    </div>
  );
}

function EndpointCard({
  webhook: w,
  collections,
  onChanged,
  onSecret,
}: {
  webhook: WebhookDto;
  collections: CollectionChoice[];
  onChanged: () => Promise<void>;
  onSecret: (s: WithSecret) => void;
}) {
  const [isOpen, setIsOpen] = useState(false);
  const [isEditing, setIsEditing] = useState(false);
  const [confirm, setConfirm] = useState<"delete" | "rotate" | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const collection = w.collectionId ? (collections.find((c) => c.id === w.collectionId)?.name ?? "one collection") : "every collection";

  const act = async (work: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await work();
      await onChanged();
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
      setConfirm(null);
    }
  };

  return (
    <article aria-label={`Webhook to ${w.url}`} className="rounded-xl border border-slate-200 bg-surface p-5 shadow-sm">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="min-w-0">
          <p className="font-mono text-sm break-all text-slate-900">{w.url}</p>
          {w.description && <p className="text-sm text-slate-700">{w.description}</p>}
          <p className="mt-1 text-xs text-slate-600">
            {eventsText(w.events)} · from {collection} · added by {w.createdBy.name}
          </p>
        </div>
        <span className={`rounded-full px-2 py-0.5 text-xs font-medium ${w.isEnabled ? "bg-emerald-100 text-emerald-900" : "bg-rose-100 text-rose-900"}`}>
          {w.isEnabled ? "Active" : "Disabled"}
        </span>
      </div>
      {!w.isEnabled && (
        <div role="alert" className="mt-3 rounded-md border border-rose-200 bg-rose-50 px-3 py-2 text-sm text-rose-900">
          {w.disabledReason ?? "Disabled."}{" "}
          <Button size="sm" variant="primary" disabled={busy} onClick={() => act(async () => void (await api.updateWebhook(w.id, { isEnabled: true })))}>
            Enable
          </Button>
        </div>
      )}
      <p className="mt-3 text-sm text-slate-700">
        <span className="tabular-nums">{w.counts.delivered}</span> delivered · <span className="tabular-nums">{w.counts.pending}</span> waiting ·{" "}
        <span className="tabular-nums">{w.counts.failed}</span> failed
        {w.lastDelivery?.at && (
          <>
            {" "}
            · last attempt {formatRelative(w.lastDelivery.at)}
            {w.lastDelivery.status !== null ? ` (HTTP ${w.lastDelivery.status})` : w.lastDelivery.error ? ` (${w.lastDelivery.error})` : ""}
          </>
        )}
        {w.previousSecretUntil && <> · the previous secret also signs until {formatRelative(w.previousSecretUntil)}</>}
      </p>
      {error && (
        <p role="alert" className="mt-2 text-sm text-rose-700">
          {error}
        </p>
      )}
      <div className="mt-3 flex flex-wrap gap-2">
        <Button size="sm" onClick={() => setIsOpen((v) => !v)} aria-expanded={isOpen}>
          {isOpen ? "Hide deliveries" : "Deliveries"}
        </Button>
        <Button size="sm" onClick={() => setIsEditing((v) => !v)} aria-expanded={isEditing}>
          Edit
        </Button>
        {w.isEnabled && (
          <Button size="sm" disabled={busy} onClick={() => act(async () => void (await api.updateWebhook(w.id, { isEnabled: false })))}>
            Disable
          </Button>
        )}
        {confirm === "rotate" ? (
          <span className="flex items-center gap-2 text-sm">
            New secret?
            <Button size="sm" variant="primary" disabled={busy} onClick={() => act(async () => onSecret(await api.rotateWebhookSecret(w.id)))}>
              Rotate
            </Button>
            <Button size="sm" onClick={() => setConfirm(null)}>
              Keep
            </Button>
          </span>
        ) : (
          <Button size="sm" onClick={() => setConfirm("rotate")}>
            Rotate secret
          </Button>
        )}
        {confirm === "delete" ? (
          <span className="flex items-center gap-2 text-sm">
            Delete it and its log?
            <Button size="sm" variant="danger" disabled={busy} onClick={() => act(() => api.deleteWebhook(w.id))}>
              Delete
            </Button>
            <Button size="sm" onClick={() => setConfirm(null)}>
              Keep
            </Button>
          </span>
        ) : (
          <Button size="sm" variant="danger" onClick={() => setConfirm("delete")}>
            Delete
          </Button>
        )}
      </div>
      {isEditing && (
        <div className="mt-4 border-t border-slate-200 pt-4">
          <EndpointForm
            initial={{ url: w.url, events: w.events, collectionId: w.collectionId, description: w.description }}
            collections={collections}
            submitLabel="Save changes"
            onCancel={() => setIsEditing(false)}
            onSubmit={async (input) => {
              await api.updateWebhook(w.id, input);
              setIsEditing(false);
              await onChanged();
            }}
          />
        </div>
      )}
      {isOpen && (
        <div className="mt-4 border-t border-slate-200 pt-4">
          <DeliveryLog endpointId={w.id} onChanged={() => void onChanged()} />
        </div>
      )}
    </article>
  );
}

function VerifyHelp() {
  return (
    <details className="rounded-xl border border-slate-200 bg-surface p-5 text-sm shadow-sm">
      <summary className="cursor-pointer font-medium text-slate-900">How a receiver checks a delivery</summary>
      <p className="mt-2 text-slate-700">
        Each request carries <code>Tandem-Event-Id</code>, <code>Tandem-Timestamp</code> (Unix seconds) and <code>Tandem-Signature: v1=&lt;hex&gt;</code> (two
        during a day after a rotation). The signature is the HMAC-SHA256 of the timestamp, a dot and the raw body, keyed with the signing secret. Refuse old
        timestamps, and drop an event id you have already handled.
      </p>
      <pre className="mt-2 overflow-x-auto rounded-md bg-slate-900 p-3 text-xs text-slate-100">{`const expected = crypto.createHmac("sha256", secret)
  .update(\`\${req.headers["tandem-timestamp"]}.\${rawBody}\`).digest("hex");
const ok = req.headers["tandem-signature"].split(",")
  .some((s) => s === \`v1=\${expected}\`);`}</pre>
    </details>
  );
}
