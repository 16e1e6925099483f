import type { Metadata } from "next";
import { headers } from "next/headers";
import { NonceProvider } from "@/components/shell/csp";
import "./globals.css";

export const metadata: Metadata = { title: { default: "Tandem", template: "%s · Tandem" }, description: "Shared records, edited together, nothing lost." };

// Reading the request's nonce renders every page per request: a nonce must never be reused, so no
// page can be a static file.
export default async function RootLayout({ children }: { children: React.ReactNode }) {
  const nonce = (await headers()).get("x-nonce") ?? undefined;
  return (
    <html lang="en">
      <body className="min-h-screen bg-slate-50 text-slate-900 antialiased">
        <NonceProvider nonce={nonce}>{children}</NonceProvider>
      </body>
    </html>
  );
}
