import { TrashView } from "@/components/collections/trash-view";

export default async function CollectionTrashPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <TrashView key={id} collectionId={id} />;
}
