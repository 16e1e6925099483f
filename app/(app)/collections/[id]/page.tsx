import { RecordsTable } from "@/components/collections/records-table";

export default async function CollectionPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <RecordsTable key={id} collectionId={id} />;
}
