import { AppHeader } from "@/components/shell/app-header";
import { SessionProvider } from "@/components/shell/session";

export default function AppLayout({ children }: { children: React.ReactNode }) {
  return (
    <SessionProvider>
      <a
        href="#main"
        className="sr-only rounded-md bg-indigo-600 px-3 py-2 text-sm font-medium text-white focus:not-sr-only focus:fixed focus:top-2 focus:left-2 focus:z-50"
      >
        Skip to content
      </a>
      <AppHeader />
      <main id="main" tabIndex={-1} className="mx-auto max-w-6xl px-3 py-6 outline-none sm:px-6 sm:py-8">
        {children}
      </main>
    </SessionProvider>
  );
}
