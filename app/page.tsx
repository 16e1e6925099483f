export const dynamic = "force-dynamic";

export default function Home() {
  return <main className="p-8">Tandem</main>;
}
