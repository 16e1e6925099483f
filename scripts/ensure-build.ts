// Builds the production bundle when there is none, or when the sources changed since the last
// build (a `git pull`, an edit): npm start, the Vitest setup, the e2e runner and the bench all call
// this, so nobody runs yesterday's front end by accident. The build records a fingerprint of its
// inputs (a SHA-256 of their paths and contents) in .next/; a different fingerprint means rebuild.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

/**
 * What goes into the bundle: everything under app/ (the routes Next compiles) and every file they
 * import, followed through "@/..." and relative imports, plus the files that configure the build.
 * So an edit to a server use case that no page imports does not rebuild the front end.
 */
export const BUILD_INPUTS = {
  entries: ["app", "public"],
  files: ["next.config.ts", "postcss.config.mjs", "tsconfig.json", "package-lock.json", "prisma/schema.prisma"],
};
/** Tests are not in the bundle, and the Prisma client is generated from schema.prisma (an input). */
const SKIPPED = [/\.test\.tsx?$/, /(^|\/)persistence\/generated\//, /(^|\/)\./];
const RESOLVE = ["", ".ts", ".tsx", ".js", ".mjs", "/index.ts", "/index.tsx"];
const IMPORT = /(?:import|export)\s[^'"]*?from\s*["']([^"']+)["']|import\s*\(\s*["']([^"']+)["']\s*\)|import\s+["']([^"']+)["']/g;

const RECORD = path.join(".next", "tandem-sources.json");

function listFiles(root: string, dir: string): string[] {
  const full = path.join(root, dir);
  if (!fs.existsSync(full)) return [];
  const out: string[] = [];
  for (const entry of fs.readdirSync(full, { withFileTypes: true })) {
    const rel = path.posix.join(dir, entry.name);
    if (SKIPPED.some((pattern) => pattern.test(rel))) continue;
    if (entry.isDirectory()) out.push(...listFiles(root, rel));
    else if (entry.isFile()) out.push(rel);
  }
  return out;
}

/** The project file an import names, or null for a package (node_modules is fingerprinted by the lockfile). */
function resolveImport(root: string, from: string, specifier: string): string | null {
  const base = specifier.startsWith("@/") ? specifier.slice(2) : specifier.startsWith(".") ? path.posix.join(path.posix.dirname(from), specifier) : null;
  if (base === null) return null;
  for (const suffix of RESOLVE) {
    const candidate = path.posix.normalize(base + suffix);
    const full = path.join(root, candidate);
    if (fs.existsSync(full) && fs.statSync(full).isFile()) return candidate;
  }
  return null;
}

/** The inputs of a build: the entries, everything they import (transitively), the config files. */
export function buildInputs(root = process.cwd()): string[] {
  const seen = new Set<string>();
  const queue = [...BUILD_INPUTS.entries.flatMap((dir) => listFiles(root, dir)), ...BUILD_INPUTS.files.filter((f) => fs.existsSync(path.join(root, f)))];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (seen.has(file) || SKIPPED.some((pattern) => pattern.test(file))) continue;
    seen.add(file);
    if (!/\.(tsx?|mjs|js|css)$/.test(file)) continue;
    const text = fs.readFileSync(path.join(root, file), "utf8");
    for (const match of text.matchAll(IMPORT)) {
      const resolved = resolveImport(root, file, match[1] ?? match[2] ?? match[3]!);
      if (resolved && !seen.has(resolved)) queue.push(resolved);
    }
  }
  return [...seen].sort();
}

/** One hash over every input's path and content, in a stable order. */
export function sourceFingerprint(root = process.cwd()): { hash: string; files: number } {
  const files = buildInputs(root);
  const hash = createHash("sha256");
  for (const file of files) {
    hash.update(`${file}\0`);
    hash.update(fs.readFileSync(path.join(root, file)));
    hash.update("\0");
  }
  return { hash: hash.digest("hex"), files: files.length };
}

export type BuildState = "missing" | "unrecorded" | "stale" | "fresh";

export function buildState(root = process.cwd(), fingerprint = sourceFingerprint(root).hash): BuildState {
  if (!fs.existsSync(path.join(root, ".next", "BUILD_ID"))) return "missing";
  try {
    const recorded = JSON.parse(fs.readFileSync(path.join(root, RECORD), "utf8")) as { fingerprint?: unknown };
    return recorded.fingerprint === fingerprint ? "fresh" : "stale";
  } catch {
    return "unrecorded";
  }
}

function runNextBuild(root: string): void {
  const result = spawnSync(process.execPath, ["node_modules/next/dist/bin/next", "build"], {
    cwd: root,
    stdio: "inherit",
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
  });
  if (result.status !== 0) throw new Error(`next build failed (exit ${result.status})`);
}

type Options = { root?: string; log?: (line: string) => void; build?: (root: string) => void; force?: boolean };

const REASONS: Record<Exclude<BuildState, "fresh">, string> = {
  missing: "No production build yet: running `next build`…",
  unrecorded: "The build carries no record of the sources it was made from: running `next build`…",
  stale: "The sources changed since the last build: running `next build`…",
};

/** Builds when needed (or always, with force), then records what the build was made from. */
export function ensureBuild(logOrOptions: ((line: string) => void) | Options = {}): BuildState {
  const options = typeof logOrOptions === "function" ? { log: logOrOptions } : logOrOptions;
  const { root = process.cwd(), log = console.log, build = runNextBuild, force = false } = options;
  // Fingerprint first: an edit made while the build runs makes the next start rebuild.
  const { hash, files } = sourceFingerprint(root);
  const state = buildState(root, hash);
  if (state === "fresh" && !force) return state;
  log(force ? "Running `next build`…" : REASONS[state as Exclude<BuildState, "fresh">]);
  build(root);
  fs.writeFileSync(path.join(root, RECORD), `${JSON.stringify({ fingerprint: hash, files, builtAt: new Date().toISOString() }, null, 2)}\n`);
  return state;
}
