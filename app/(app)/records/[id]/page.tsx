import { RecordEditor } from "@/components/record/record-editor";

export default async function RecordPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <RecordEditor key={id} recordId={id} />;
}
