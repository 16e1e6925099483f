import { ImportView } from "@/components/schema/import-view";

export default async function CollectionImportPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <ImportView key={id} collectionId={id} />;
}
