import { AppHeader } from "@/components/shell/app-header";
import { SessionProvider } from "@/components/shell/session";

export default function AppLayout({ children }: { children: React.ReactNode }) {
  return (
    <SessionProvider>
      <AppHeader />
      <main className="mx-auto max-w-6xl px-4 py-8 sm:px-6">{children}</main>
    </SessionProvider>
  );
}
