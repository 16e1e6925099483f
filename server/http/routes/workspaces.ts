// /api/workspaces…, their members and invitations, /api/invitations/:token…, and first-run setup.
import type { ApiRequest } from "@/server/http/api";
import { anonymous, authed } from "@/server/http/handler";
import { readJsonBody, requireObject } from "@/server/http/request";
import { json } from "@/server/http/respond";
import { isFirstRun, setUpFirstRun } from "@/server/usecases/first-run";
import { acceptInvitation, createInvitation, describeInvitation, listInvitations, revokeInvitation } from "@/server/usecases/invitations";
import { changeMemberRole, createWorkspace, getWorkspace, listMembers, listWorkspaces, removeMember, renameWorkspaceName } from "@/server/usecases/workspaces";

type Id = { id: string };

const body = async (request: ApiRequest) => requireObject((await readJsonBody(request)).value);
const noContent = () => ({ status: 204, headers: { "cache-control": "no-store" }, body: "" });

export const listWorkspacesRoute = authed<object>(async ({ actor, deps }) => json({ workspaces: await listWorkspaces(deps, actor) }));

export const createWorkspaceRoute = authed<object>(async ({ request, actor, deps }) => {
  const workspace = await createWorkspace(deps, actor, await body(request));
  return json({ workspace }, { status: 201, headers: { location: `/api/workspaces/${workspace.id}` } });
});

export const getWorkspaceRoute = authed<Id>(async ({ params, actor, deps }) => {
  const workspace = await getWorkspace(deps, actor, params.id);
  return json({ workspace }, { headers: { etag: workspace.etag } });
});

export const renameWorkspaceRoute = authed<Id>(async ({ request, params, actor, deps }) => {
  const input = await body(request);
  const workspace = await renameWorkspaceName(deps, actor, params.id, { body: input, ifMatch: request.headers.get("if-match") });
  return json({ workspace }, { headers: { etag: workspace.etag } });
});

export const listMembersRoute = authed<Id>(async ({ params, actor, deps }) => json({ members: await listMembers(deps, actor, params.id) }));

export const changeMemberRoute = authed<Id & { userId: string }>(async ({ request, params, actor, deps }) => {
  const input = await body(request);
  return json({ member: await changeMemberRole(deps, actor, params.id, params.userId, input) });
});

export const removeMemberRoute = authed<Id & { userId: string }>(async ({ params, actor, deps }) => {
  await removeMember(deps, actor, params.id, params.userId);
  return noContent();
});

/** The link's origin: the configured public address, else the one the request came to. */
function originOf(request: ApiRequest, baseUrl: string | undefined): string {
  if (baseUrl) return new URL(baseUrl).origin;
  return `http://${request.headers.get("host") ?? "localhost"}`;
}

export const createInvitationRoute = authed<Id>(async ({ request, params, actor, deps, app }) => {
  const input = await body(request);
  const created = await createInvitation(deps, actor, params.id, input, originOf(request, app.config.auth.baseUrl));
  return json(created, { status: 201 });
});

export const listInvitationsRoute = authed<Id>(async ({ params, actor, deps }) => json({ invitations: await listInvitations(deps, actor, params.id) }));

export const revokeInvitationRoute = authed<Id & { invitationId: string }>(async ({ params, actor, deps }) => {
  await revokeInvitation(deps, actor, params.id, params.invitationId);
  return noContent();
});

export const describeInvitationRoute = anonymous<{ token: string }>(async ({ params, deps }) =>
  json({ invitation: await describeInvitation(deps, params.token) }),
);

export const acceptInvitationRoute = authed<{ token: string }>(async ({ params, actor, deps }) => json(await acceptInvitation(deps, actor, params.token)));

/** What the sign-in page offers: first-run setup while nobody has an account, a sign-up form when sign-up is open. */
export const firstRunStatusRoute = anonymous<object>(async ({ deps, app }) =>
  json({ isFirstRun: await isFirstRun(deps), isOpenSignup: app.config.auth.isOpenSignup }),
);

export const firstRunRoute = anonymous<object>(async ({ request, deps, app }) => {
  const input = await body(request);
  const result = await setUpFirstRun(deps, app.auth, app.config.auth.secret, input);
  return json(result, { status: 201 });
});
