import { NewWorkspaceForm } from "@/components/workspaces/new-workspace-form";

export default function NewWorkspacePage() {
  return <NewWorkspaceForm />;
}
