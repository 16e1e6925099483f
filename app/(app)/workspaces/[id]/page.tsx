import { WorkspaceHome } from "@/components/workspaces/workspace-home";

export default async function WorkspacePage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <WorkspaceHome key={id} workspaceId={id} />;
}
