import { WebhooksPage } from "@/components/webhooks/webhooks-page";

export default async function WorkspaceWebhooksPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <WebhooksPage key={id} workspaceId={id} />;
}
