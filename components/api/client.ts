// The browser's view of the HTTP API: one fetch wrapper, typed calls, and one error type that
// keeps the server's code and body (parsed with lib/errors' schemas) so callers can offer a way
// forward: a 412 carries the server's merge, a 409 the limit that refused.
import type { ContentionDto } from "@/lib/contention";
import { parseErrorBody, parseStaleBody, type StaleBody } from "@/lib/errors";
import type { ImportJobDto, ImportOptions, ImportPreview } from "@/lib/import";
import type { MemberDto, WorkspaceDto } from "@/lib/membership";
import type { MergeChoice } from "@/lib/merge-choices";
import type { SchemaChanges } from "@/lib/schema";
import type { AutoMergeHow, CollectionDto, CollectionLimit, FieldChanges, FieldDef, RecordDto, RecordValues, Resolution, RevisionDto, Role } from "@/lib/types";
import type { DeliveryDto, DeliveryState, WebhookDto, WebhookEvent } from "@/lib/webhooks";

export type Member = { id: string; name: string; email: string; role: string };
export type Workspace = WorkspaceDto;
export type WorkspaceMember = MemberDto;
export type Invitation = {
  id: string;
  role: Role;
  status: "pending" | "accepted" | "revoked" | "expired";
  createdAt: string;
  expiresAt: string;
  createdBy: string;
  acceptedBy: string | null;
};
export type InvitationInfo = { workspaceName: string; role: Role; status: Invitation["status"]; expiresAt: string };
export type Me = { user: { id: string; name: string; email: string }; collections: CollectionDto[] };
/** How the server merged a stale save (the answer carried Preference-Applied: merge). */
export type AppliedMerge = {
  baseVersion: number;
  overrodeVersion: number;
  fields: Record<string, Resolution>;
  autoMerged?: { key: string; how: AutoMergeHow }[];
};
export type Versioned = { record: RecordDto; etag: string; merge?: AppliedMerge };
export type WebhookInput = { url: string; events: WebhookEvent[]; collectionId: string | null; description: string };
export type WithSecret = { webhook: WebhookDto; secret: string };
export type SaveOptions = {
  /** the dialog's choices, against the version of theirs it showed */
  merge?: { theirsVersion: number; choices: Record<string, MergeChoice> };
  ops?: Record<string, { add: number }>;
  /** per edited field, a later version its edit started from (lib/SPEC.md H10) */
  bases?: Record<string, number>;
  idempotencyKey?: string;
};

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly body: Record<string, unknown>,
    readonly etag: string | null,
  ) {
    super(message);
  }
  get isStale(): boolean {
    return this.status === 412 && this.code === "stale";
  }
  get fieldErrors(): Record<string, string> | null {
    const fields = this.body.fields;
    return this.status === 422 && fields && typeof fields === "object" ? (fields as Record<string, string>) : null;
  }
}

const FRIENDLY: Record<number, string> = {
  401: "Your session has ended. Please sign in again.",
  403: "You don't have permission to do that.",
  404: "Not found.",
  410: "This record was deleted.",
};

async function request<T>(path: string, init: RequestInit & { json?: unknown } = {}): Promise<{ data: T; etag: string | null }> {
  const headers = new Headers(init.headers);
  let body = init.body;
  if (init.json !== undefined) {
    headers.set("content-type", "application/json");
    body = JSON.stringify(init.json);
  }
  let response: Response;
  try {
    response = await fetch(path, { ...init, headers, body, credentials: "same-origin", cache: "no-store" });
  } catch {
    throw new ApiError(0, "network", "Can't reach the server. Check your connection and try again.", {}, null);
  }
  const text = await response.text();
  const parsed = parseJson(text);
  const etag = response.headers.get("etag");
  if (!response.ok) {
    const body = parseErrorBody(parsed);
    const obj = (parsed && typeof parsed === "object" ? parsed : {}) as Record<string, unknown>;
    const message = body?.message || FRIENDLY[response.status] || `Request failed (${response.status}).`;
    throw new ApiError(response.status, body?.error ?? String(response.status), message, obj, etag);
  }
  return { data: parsed as T, etag };
}

function parseJson(text: string): unknown {
  try {
    return text ? JSON.parse(text) : null;
  } catch {
    return null;
  }
}

const versioned = async (promise: Promise<{ data: RecordDto & { merge?: AppliedMerge }; etag: string | null }>): Promise<Versioned> => {
  const { data, etag } = await promise;
  const { merge, ...record } = data;
  return { record, etag: etag ?? "", ...(merge ? { merge } : {}) };
};

/** A collection's schema as the editor reads and writes it (PATCH /api/collections/:id). */
export type SchemaDto = {
  id: string;
  workspaceId: string;
  name: string;
  archived: boolean;
  fields: FieldDef[];
  removed: FieldDef[];
  /** each limit with what the live records use of it now */
  limits: (CollectionLimit & { used: number })[];
  version: number;
  etag: string;
};
export type SchemaVersion = { version: number; name: string; author: { id: string; name: string }; createdAt: string; changes: SchemaChanges };
export type SchemaEdit = { name?: string; archived?: boolean; fields?: FieldDef[]; limits?: CollectionLimit[] };
export type ConversionPreview = Record<
  string,
  {
    from: string;
    to: string;
    /** trash included */
    changes: number;
    failureCount: number;
    samples: { recordId: string; from: unknown; to: unknown; isDeleted: boolean }[];
    failures: { recordId: string; value: unknown; reason: string; isDeleted: boolean }[];
    /** of those, in the trash: converted too, so an undelete brings back a value of the new type */
    inTrash: { changes: number; failureCount: number };
  }
>;
export type { ImportFailure, ImportOptions, ImportPreview } from "@/lib/import";
export type ImportJob = ImportJobDto;
const importQuery = (options: ImportOptions, preview: boolean) => {
  const params = new URLSearchParams();
  if (preview) params.set("preview", "true");
  if (options.mapping && Object.keys(options.mapping).length > 0) params.set("mapping", JSON.stringify(options.mapping));
  if (options.createFields) params.set("createFields", "true");
  return params.toString();
};

export const api = {
  /** `invitation`: the token of the link the sign-up comes from (sign-up is by invitation unless open) */
  signUp: (name: string, email: string, password: string, invitation?: string) =>
    request<unknown>("/api/auth/sign-up/email", {
      method: "POST",
      json: { name, email, password },
      headers: invitation ? { "x-tandem-invitation": invitation } : {},
    }),
  isFirstRun: async () => (await request<{ isFirstRun: boolean }>("/api/setup")).data.isFirstRun,
  /** first run (nobody has an account yet) and whether anyone may sign up without an invitation */
  signUpOptions: async () => (await request<{ isFirstRun: boolean; isOpenSignup: boolean }>("/api/setup")).data,
  setUp: async (input: { name: string; email: string; password: string; workspaceName: string }) =>
    (await request<{ workspace: Workspace }>("/api/setup", { method: "POST", json: input })).data.workspace,
  workspaces: async () => (await request<{ workspaces: Workspace[] }>("/api/workspaces")).data.workspaces,
  workspace: async (id: string) => (await request<{ workspace: Workspace }>(`/api/workspaces/${id}`)).data.workspace,
  createWorkspace: async (name: string) => (await request<{ workspace: Workspace }>("/api/workspaces", { method: "POST", json: { name } })).data.workspace,
  /** owners: a new name, from the version `etag` names (a rename made meanwhile is a 412 carrying the current workspace) */
  renameWorkspace: async (id: string, etag: string, name: string) =>
    (await request<{ workspace: Workspace }>(`/api/workspaces/${id}`, { method: "PATCH", headers: { "if-match": etag }, json: { name } })).data.workspace,
  workspaceMembers: async (id: string) => (await request<{ members: WorkspaceMember[] }>(`/api/workspaces/${id}/members`)).data.members,
  changeMemberRole: async (id: string, userId: string, role: Role) =>
    (await request<{ member: WorkspaceMember }>(`/api/workspaces/${id}/members/${userId}`, { method: "PATCH", json: { role } })).data.member,
  removeMember: async (id: string, userId: string) => void (await request<unknown>(`/api/workspaces/${id}/members/${userId}`, { method: "DELETE" })),
  invitations: async (id: string) => (await request<{ invitations: Invitation[] }>(`/api/workspaces/${id}/invitations`)).data.invitations,
  createInvitation: async (id: string, role: Role, expiresInDays: number) =>
    (
      await request<{ invitation: Invitation; token: string; url: string }>(`/api/workspaces/${id}/invitations`, {
        method: "POST",
        json: { role, expiresInDays },
      })
    ).data,
  revokeInvitation: async (id: string, invitationId: string) =>
    void (await request<unknown>(`/api/workspaces/${id}/invitations/${invitationId}`, { method: "DELETE" })),
  invitation: async (token: string) => (await request<{ invitation: InvitationInfo }>(`/api/invitations/${encodeURIComponent(token)}`)).data.invitation,
  acceptInvitation: async (token: string) =>
    (await request<{ workspace: Workspace }>(`/api/invitations/${encodeURIComponent(token)}/accept`, { method: "POST" })).data.workspace,
  deleteRecord: (id: string, etag: string) => versioned(request<RecordDto>(`/api/records/${id}`, { method: "DELETE", headers: { "if-match": etag } })),
  undeleteRecord: (id: string, etag: string) => versioned(request<RecordDto>(`/api/records/${id}/undelete`, { method: "POST", headers: { "if-match": etag } })),
  signIn: (email: string, password: string) => request<unknown>("/api/auth/sign-in/email", { method: "POST", json: { email, password } }),
  signOut: () => request<unknown>("/api/auth/sign-out", { method: "POST", json: {} }),
  me: async () => (await request<Me>("/api/me")).data,
  collection: async (id: string) => (await request<CollectionDto>(`/api/collections/${id}`)).data,
  members: async (id: string) => (await request<{ members: Member[] }>(`/api/collections/${id}/members`)).data.members,
  records: async (collectionId: string, params: Record<string, string>) =>
    (await request<{ records: RecordDto[]; nextCursor: string | null }>(`/api/collections/${collectionId}/records?${new URLSearchParams(params)}`)).data,
  createRecord: (collectionId: string, values: RecordValues) =>
    versioned(request<RecordDto>(`/api/collections/${collectionId}/records`, { method: "POST", json: { values } })),
  record: (id: string) => versioned(request<RecordDto>(`/api/records/${id}`)),
  /**
   * A save from the version `etag` names; a stale one is merged by the server when it can be
   * (Prefer: merge). It carries an Idempotency-Key: `options.idempotencyKey`, or by default
   * saveKey(), the same for the same record, token and body, so a save sent again after a lost
   * connection is answered once by the server, never applied twice.
   */
  saveRecord: (id: string, etag: string, values: RecordValues, options: SaveOptions = {}) => {
    const body = {
      ...(Object.keys(values).length > 0 || !options.ops ? { values } : {}),
      ...(options.ops ? { ops: options.ops } : {}),
      ...(options.bases && Object.keys(options.bases).length > 0 ? { bases: options.bases } : {}),
      ...(options.merge ? { merge: options.merge } : {}),
    };
    const key = options.idempotencyKey ?? saveKey(id, etag, body);
    const headers: Record<string, string> = { "if-match": etag, prefer: "merge", "idempotency-key": key };
    return versioned(request<RecordDto>(`/api/records/${id}`, { method: "PATCH", headers, json: body }));
  },
  restore: (id: string, etag: string, version: number, fields?: string[]) =>
    versioned(
      request<RecordDto>(`/api/records/${id}/restore`, { method: "POST", headers: { "if-match": etag }, json: fields ? { version, fields } : { version } }),
    ),
  revisions: async (id: string, params: Record<string, string>) =>
    (await request<{ revisions: RevisionDto[]; nextCursor: string | null }>(`/api/records/${id}/revisions?${new URLSearchParams(params)}`)).data,
  revision: async (id: string, version: number) => (await request<RevisionDto>(`/api/records/${id}/revisions/${version}`)).data,
  compare: async (id: string, from: number, to: number) =>
    (await request<{ from: RevisionDto; to: RevisionDto; changes: FieldChanges }>(`/api/records/${id}/compare?from=${from}&to=${to}`)).data,
  webhooks: async (workspaceId: string) => (await request<{ webhooks: WebhookDto[] }>(`/api/workspaces/${workspaceId}/webhooks`)).data.webhooks,
  createWebhook: async (workspaceId: string, input: WebhookInput) =>
    (await request<WithSecret>(`/api/workspaces/${workspaceId}/webhooks`, { method: "POST", json: input })).data,
  updateWebhook: async (id: string, patch: Partial<WebhookInput> & { isEnabled?: boolean }) =>
    (await request<WebhookDto>(`/api/webhooks/${id}`, { method: "PATCH", json: patch })).data,
  deleteWebhook: async (id: string) => void (await request<unknown>(`/api/webhooks/${id}`, { method: "DELETE" })),
  rotateWebhookSecret: async (id: string) => (await request<WithSecret>(`/api/webhooks/${id}/rotate-secret`, { method: "POST" })).data,
  deliveries: async (id: string, params: { before?: string; state?: DeliveryState } = {}) =>
    (
      await request<{ deliveries: DeliveryDto[]; nextBefore: string | null }>(
        `/api/webhooks/${id}/deliveries?${new URLSearchParams(params as Record<string, string>)}`,
      )
    ).data,
  contention: async (workspaceId: string) => (await request<ContentionDto>(`/api/workspaces/${workspaceId}/contention`)).data,
  /** the merge dialog closed: what was chosen and how long after the refusal (metrics only) */
  reportMergeOutcome: async (recordId: string, outcome: "mine" | "theirs" | "both" | "edit" | "cancel", ms: number) =>
    void (await request<unknown>(`/api/records/${recordId}/merge-outcome`, {
      method: "POST",
      json: { outcome, ms: Math.max(0, Math.min(86_400_000, Math.round(ms))) },
    })),
  setMergePolicy: async (collectionId: string, key: string, etag: string, alwaysAsk: boolean) =>
    (
      await request<{ fields: FieldDef[] }>(`/api/collections/${collectionId}/fields/${encodeURIComponent(key)}/merge-policy`, {
        method: "PUT",
        headers: { "if-match": etag },
        json: { alwaysAsk },
      })
    ).data,
  schema: async (id: string): Promise<SchemaDto> => {
    const { data, etag } = await request<CollectionDto>(`/api/collections/${id}`);
    return {
      id: data.id,
      workspaceId: data.workspaceId,
      name: data.name,
      archived: data.archivedAt !== null,
      fields: data.fields,
      removed: data.removedFields,
      limits: data.limits,
      version: data.version,
      etag: etag ?? "",
    };
  },
  createCollection: async (workspaceId: string, body: { name: string; fields: FieldDef[]; limits?: CollectionLimit[] }) =>
    (await request<SchemaDto>(`/api/workspaces/${workspaceId}/collections`, { method: "POST", json: body })).data,
  /** A schema edit from the version `etag` names; `preview` writes nothing and answers what a type change would convert. */
  patchSchema: async (id: string, etag: string, body: SchemaEdit, preview = false) =>
    (
      await request<SchemaDto & { preview?: true; conversions?: ConversionPreview }>(`/api/collections/${id}${preview ? "?preview=true" : ""}`, {
        method: "PATCH",
        headers: { "if-match": etag },
        json: body,
      })
    ).data,
  previewImport: async (id: string, file: Blob, options: ImportOptions) =>
    (
      await request<ImportPreview>(`/api/collections/${id}/imports?${importQuery(options, true)}`, {
        method: "POST",
        headers: { "content-type": "text/csv" },
        body: file,
      })
    ).data,
  startImport: async (id: string, file: Blob, key: string, options: ImportOptions) =>
    (
      await request<ImportJob>(`/api/collections/${id}/imports?${importQuery(options, false)}`, {
        method: "POST",
        headers: { "content-type": "text/csv", "idempotency-key": key },
        body: file,
      })
    ).data,
  schemaVersions: async (id: string) =>
    (await request<{ versions: SchemaVersion[]; nextBefore: number | null }>(`/api/collections/${id}/versions?limit=20`)).data,
  importJob: async (id: string) => (await request<ImportJob>(`/api/imports/${id}`)).data,
  /** the caller's own imports into a collection, newest first */
  imports: async (collectionId: string) => (await request<{ imports: ImportJob[] }>(`/api/collections/${collectionId}/imports`)).data.imports,
  redeliver: async (id: string, deliveryId: string) =>
    void (await request<unknown>(`/api/webhooks/${id}/deliveries/${deliveryId}/redeliver`, { method: "POST" })),
};

/** cyrb53: a fast 53-bit string hash; two seeds give the key ~106 bits. */
function hash53(text: string, seed: number): string {
  let h1 = 0xdeadbeef ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36);
}

/**
 * The Idempotency-Key of a save: the same record, version token and body are one and the same
 * save (a token names one version, which can be saved over only once), so sending it again, after
 * a connection lost before the answer came, must not apply it twice. The server binds the key to
 * the body too; a different body is a different key here.
 */
export function saveKey(recordId: string, etag: string, body: unknown): string {
  const text = `${recordId}\n${etag}\n${JSON.stringify(body)}`;
  return `save-${hash53(text, 1)}${hash53(text, 2)}`;
}

/** The StaleBody of a refused save, with the current token the 412 carried. */
export function readStale(error: unknown): { stale: StaleBody; etag: string } | null {
  if (!(error instanceof ApiError) || !error.isStale) return null;
  const stale = parseStaleBody(error.body);
  return stale ? { stale, etag: error.etag ?? "" } : null;
}

/** The record a 410 carries (the API serves a deleted record's history), or null. */
export function deletedRecordOf(error: unknown): RecordDto | null {
  if (!(error instanceof ApiError) || error.status !== 410) return null;
  const current = error.body.current as RecordDto | undefined;
  return current && typeof current === "object" && typeof current.id === "string" && typeof current.collectionId === "string" ? current : null;
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : "Something went wrong.";
}
