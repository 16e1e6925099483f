import { ContentionPage } from "@/components/contention/contention-page";

export default async function WorkspaceContentionPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <ContentionPage key={id} workspaceId={id} />;
}
