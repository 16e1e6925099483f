import Link from "next/link";

export default function NotFound() {
  return (
    <main className="flex min-h-screen flex-col items-center justify-center gap-2 px-4 text-center">
      <p className="text-sm font-semibold text-indigo-700">404</p>
      <h1 className="text-2xl font-semibold tracking-tight">Page not found</h1>
      <Link href="/" className="mt-2 text-sm font-medium text-indigo-700 underline underline-offset-2">
        Back to your collections
      </Link>
    </main>
  );
}
