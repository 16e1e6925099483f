"use client";
// Owners' members page: everyone's role (changed at once, the last owner kept by the server),
// removal with a confirmation, and invitation links: made with a role and an expiry, the link shown
// once to copy, the list with each link's state, revoke.
import { useCallback, useEffect, useState } from "react";
import { api, messageOf, type Invitation, type WorkspaceMember } from "@/components/api/client";
import { useSession } from "@/components/shell/session";
import { useDocumentTitle } from "@/components/shell/use-document-title";
import { Button } from "@/components/ui/button";
import { formatTime } from "@/components/ui/format";
import { ErrorBlock, LoadingBlock } from "@/components/ui/states";
import { ROLES, type Role } from "@/lib/types";

const ROLE_TEXT: Record<Role, string> = { owner: "Owner", editor: "Editor", viewer: "Viewer" };

export function MembersPage({ workspaceId }: { workspaceId: string }) {
  const { me, workspaces, refresh: refreshSession } = useSession();
  const workspace = workspaces?.find((w) => w.id === workspaceId);
  useDocumentTitle(["Members", workspace?.name]);
  const [members, setMembers] = useState<WorkspaceMember[] | null>(null);
  const [invitations, setInvitations] = useState<Invitation[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [removing, setRemoving] = useState<WorkspaceMember | null>(null);
  const load = useCallback(async () => {
    try {
      const [m, i] = await Promise.all([api.workspaceMembers(workspaceId), api.invitations(workspaceId)]);
      setMembers(m);
      setInvitations(i);
      setLoadError(null);
    } catch (e) {
      setLoadError(messageOf(e));
    }
  }, [workspaceId]);
  useEffect(() => {
    void load();
  }, [load]);

  if (loadError && !members)
    return (
      <ErrorBlock
        title="Couldn’t load the members"
        message={loadError}
        onRetry={load}
        back={{ href: `/workspaces/${workspaceId}`, label: "Back to the workspace" }}
      />
    );
  if (!members || !invitations) return <LoadingBlock label="Loading members" />;

  const changeRole = async (member: WorkspaceMember, role: Role) => {
    setNotice(null);
    try {
      const changed = await api.changeMemberRole(workspaceId, member.id, role);
      setMembers((list) => list?.map((m) => (m.id === changed.id ? changed : m)) ?? null);
      setNotice(`${member.name} is now ${ROLE_TEXT[role].toLowerCase()}.`);
      if (member.id === me?.user.id) await refreshSession();
    } catch (e) {
      setNotice(messageOf(e));
    }
  };
  const remove = async (member: WorkspaceMember) => {
    setNotice(null);
    try {
      await api.removeMember(workspaceId, member.id);
      setMembers((list) => list?.filter((m) => m.id !== member.id) ?? null);
      setNotice(`${member.name} was removed from the workspace.`);
    } catch (e) {
      setNotice(messageOf(e));
    }
    setRemoving(null);
  };

  return (
    <div className="space-y-8">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">Members{workspace && <span className="text-slate-600"> · {workspace.name}</span>}</h1>
        <p className="mt-1 text-sm text-slate-600">A change of role or a removal takes effect at once, on pages already open too.</p>
      </div>
      {notice && (
        <p role="status" className="rounded-md bg-slate-100 px-3 py-2 text-sm text-slate-800">
          {notice}
        </p>
      )}
      <section aria-labelledby="members-heading" className="space-y-2">
        <h2 id="members-heading" className="font-semibold">
          People
        </h2>
        <ul className="divide-y divide-slate-200 rounded-xl border border-slate-200 bg-surface">
          {members.map((member) => (
            <li key={member.id} data-testid="member-row" className="flex flex-wrap items-center gap-3 px-4 py-3">
              <div className="min-w-0 flex-1">
                <p className="font-medium text-slate-900">
                  {member.name}
                  {member.id === me?.user.id && <span className="text-slate-500"> (you)</span>}
                </p>
                <p className="truncate text-sm text-slate-600">{member.email}</p>
              </div>
              <label className="sr-only" htmlFor={`role-${member.id}`}>
                Role of {member.name}
              </label>
              <select
                id={`role-${member.id}`}
                value={member.role}
                onChange={(e) => void changeRole(member, e.target.value as Role)}
                className="rounded-md border border-slate-300 bg-surface px-2 py-1 text-sm"
              >
                {ROLES.map((role) => (
                  <option key={role} value={role}>
                    {ROLE_TEXT[role]}
                  </option>
                ))}
              </select>
              {removing?.id === member.id ? (
                <span className="flex items-center gap-2 text-sm" role="group" aria-label={`Remove ${member.name}?`}>
                  Remove {member.name}?
                  <Button size="sm" variant="danger" onClick={() => void remove(member)}>
                    Remove
                  </Button>
                  <Button size="sm" variant="ghost" onClick={() => setRemoving(null)}>
                    Cancel
                  </Button>
                </span>
              ) : (
                <Button size="sm" variant="ghost" onClick={() => setRemoving(member)}>
                  Remove…
                </Button>
              )}
            </li>
          ))}
        </ul>
      </section>
      <InvitationsSection workspaceId={workspaceId} invitations={invitations} onChange={load} />
    </div>
  );
}

function InvitationsSection({ workspaceId, invitations, onChange }: { workspaceId: string; invitations: Invitation[]; onChange: () => Promise<void> }) {
  const [role, setRole] = useState<Role>("editor");
  const [days, setDays] = useState(7);
  const [link, setLink] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [isCopied, setIsCopied] = useState(false);
  const create = async (event: React.FormEvent) => {
    event.preventDefault();
    setError(null);
    setIsCopied(false);
    try {
      const created = await api.createInvitation(workspaceId, role, days);
      // The link as this browser reaches the server (the API's may name a configured address).
      setLink(`${window.location.origin}/invite/${created.token}`);
      await onChange();
    } catch (e) {
      setError(messageOf(e));
    }
  };
  const revoke = async (invitation: Invitation) => {
    try {
      await api.revokeInvitation(workspaceId, invitation.id);
      await onChange();
    } catch (e) {
      setError(messageOf(e));
    }
  };
  return (
    <section aria-labelledby="invitations-heading" className="space-y-3">
      <h2 id="invitations-heading" className="font-semibold">
        Invitations
      </h2>
      <form onSubmit={create} className="flex flex-wrap items-end gap-3 rounded-xl border border-slate-200 bg-surface p-4" aria-label="New invitation">
        <div>
          <label htmlFor="invite-role" className="block text-sm font-medium text-slate-700">
            Role
          </label>
          <select
            id="invite-role"
            value={role}
            onChange={(e) => setRole(e.target.value as Role)}
            className="mt-1 rounded-md border border-slate-300 bg-surface px-2 py-1.5 text-sm"
          >
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {ROLE_TEXT[r]}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="invite-days" className="block text-sm font-medium text-slate-700">
            Expires after (days)
          </label>
          <input
            id="invite-days"
            type="number"
            min={1}
            max={30}
            value={days}
            onChange={(e) => setDays(Number(e.target.value))}
            className="mt-1 w-24 rounded-md border border-slate-300 bg-surface px-2 py-1.5 text-sm"
          />
        </div>
        <Button type="submit" variant="primary">
          Create invitation link
        </Button>
        {error && (
          <p role="alert" className="w-full text-sm text-rose-700">
            {error}
          </p>
        )}
      </form>
      {link && (
        <div className="space-y-2 rounded-xl border border-indigo-200 bg-indigo-50 p-4">
          <p className="text-sm text-slate-800">Send this link to the person you invite. It is shown only now and works once.</p>
          <div className="flex flex-wrap gap-2">
            <input
              readOnly
              aria-label="Invitation link"
              value={link}
              onFocus={(e) => e.target.select()}
              className="min-w-0 flex-1 rounded-md border border-slate-300 bg-surface px-2 py-1.5 font-mono text-xs"
            />
            <Button
              onClick={() => {
                void navigator.clipboard?.writeText(link).then(
                  () => setIsCopied(true),
                  () => setIsCopied(false),
                );
              }}
            >
              {isCopied ? "Copied" : "Copy"}
            </Button>
          </div>
        </div>
      )}
      {invitations.length > 0 && (
        <ul className="divide-y divide-slate-200 rounded-xl border border-slate-200 bg-surface text-sm">
          {invitations.map((invitation) => (
            <li key={invitation.id} data-testid="invitation-row" className="flex flex-wrap items-center gap-3 px-4 py-2">
              <span className="font-medium">{ROLE_TEXT[invitation.role]}</span>
              <span className="text-slate-600">
                by {invitation.createdBy} ·{" "}
                {invitation.status === "pending"
                  ? `expires ${formatTime(invitation.expiresAt)}`
                  : invitation.status === "accepted"
                    ? `used by ${invitation.acceptedBy ?? "a former member"}`
                    : invitation.status}
              </span>
              {invitation.status === "pending" && (
                <Button size="sm" variant="ghost" className="ml-auto" onClick={() => void revoke(invitation)}>
                  Revoke
                </Button>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
