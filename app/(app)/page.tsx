import { CollectionList } from "@/components/collections/collection-list";

export default function HomePage() {
  return <CollectionList />;
}
