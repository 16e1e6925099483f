import { CollectionEditor } from "@/components/schema/collection-editor";

export default async function CollectionFieldsPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <CollectionEditor key={id} collectionId={id} />;
}
