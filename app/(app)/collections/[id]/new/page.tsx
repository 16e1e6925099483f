import { NewRecordForm } from "@/components/collections/new-record-form";

export default async function NewRecordPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <NewRecordForm collectionId={id} />;
}
