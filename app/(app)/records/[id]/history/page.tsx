import { Suspense } from "react";
import { HistoryView } from "@/components/history/history-view";
import { LoadingBlock } from "@/components/ui/states";

export default async function HistoryPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return (
    <Suspense fallback={<LoadingBlock label="Loading history" rows={6} />}>
      <HistoryView key={id} recordId={id} />
    </Suspense>
  );
}
