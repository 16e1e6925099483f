import { MembersPage } from "@/components/workspaces/members-page";

export default async function WorkspaceMembersPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <MembersPage key={id} workspaceId={id} />;
}
