// Reads a V8 .cpuprofile (node --cpu-prof) of the server and tells where its CPU time went while
// the bench measured Tandem (the raw-baseline windows and start-up are cut away): time by package
// (node core, native and crypto work charged to the package that called it), heaviest functions.
import fs from "node:fs/promises";

type CallFrame = { functionName: string; url: string; lineNumber: number };
type ProfileNode = { id: number; callFrame: CallFrame; children?: number[] };
type CpuProfile = { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] };

/** A window to keep, in ms since the profiled process started. */
export type ProfileWindow = { label: string; fromMs: number; toMs: number };

const RUNTIME = new Set(["node core", "(native)", "(program)", "(garbage collector)", "(idle)", "(root)"]);

/** Where a script lives, coarse enough to name who to blame. */
export function packageOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith("(") ? functionName : "(native)";
  if (url.startsWith("node:")) return "node core";
  const modules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (modules) return modules[1]!;
  if (url.includes("/.next/server/")) return "next bundle (route code, bundled deps)";
  if (/\/(server|lib|app)\//.test(url)) return "tandem (custom server)";
  return url.replace(/^.*\//, "");
}

const shortUrl = (url: string) => url.replace(/^.*?\/(node_modules|\.next|server|lib|app)\//, "$1/");
const frameKey = (f: CallFrame) => `${f.functionName || "(anonymous)"}${f.url ? ` ${shortUrl(f.url)}:${f.lineNumber + 1}` : ""}`;

type Tally = { total: number; idle: number; pkg: Map<string, number>; charged: Map<string, number>; self: Map<string, number>; incl: Map<string, number> };

const add = (m: Map<string, number>, k: string, v: number) => m.set(k, (m.get(k) ?? 0) + v);

export async function summarizeCpuProfile(file: string, windows: ProfileWindow[], top = 25): Promise<string> {
  const profile = JSON.parse(await fs.readFile(file, "utf8")) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

  const tallies = new Map<string, Tally>();
  const tallyOf = (label: string) => {
    let t = tallies.get(label);
    if (!t) tallies.set(label, (t = { total: 0, idle: 0, pkg: new Map(), charged: new Map(), self: new Map(), incl: new Map() }));
    return t;
  };
  let clockUs = 0;
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0;
    clockUs += dt;
    const window = windows.find((w) => clockUs / 1000 >= w.fromMs && clockUs / 1000 < w.toMs);
    if (!window) return;
    const t = tallyOf(window.label);
    t.total += dt;
    const leaf = byId.get(id)!.callFrame;
    const pkg = packageOf(leaf.url, leaf.functionName);
    if (pkg === "(idle)") {
      t.idle += dt;
      return;
    }
    add(t.pkg, pkg, dt);
    add(t.self, frameKey(leaf), dt);
    let charged = RUNTIME.has(pkg) ? undefined : pkg;
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const frame = byId.get(cur)!.callFrame;
      const key = frameKey(frame);
      if (!charged) {
        const p = packageOf(frame.url, frame.functionName);
        if (!RUNTIME.has(p)) charged = p;
      }
      if (!seen.has(key) && key !== "(root)") add(t.incl, key, dt);
      seen.add(key);
    }
    add(t.charged, charged ?? (pkg === "(garbage collector)" ? pkg : "node core (no package on the stack)"), dt);
  });

  const out: string[] = [`CPU profile of the server: ${file}`];
  for (const [label, t] of tallies) {
    const busy = t.total - t.idle;
    const pct = (v: number) => `${((100 * v) / busy).toFixed(1).padStart(5)}%`;
    const list = (m: Map<string, number>, n: number) =>
      [...m]
        .sort((a, b) => b[1] - a[1])
        .slice(0, n)
        .map(([k, v]) => `    ${pct(v)}  ${k}`);
    out.push(
      "",
      `== ${label}: ${(t.total / 1e6).toFixed(1)} s measured, main thread busy ${((100 * busy) / t.total).toFixed(0)}%; shares of busy time`,
      "  by package, node core/native work charged to the package that called it:",
      ...list(t.charged, 15),
      "  self time by package (leaf frame):",
      ...list(t.pkg, 12),
      "  self time by function:",
      ...list(t.self, top),
      "  inclusive time by function (synchronous stacks only; an await splits a call):",
      ...list(t.incl, top * 2),
    );
  }
  return out.join("\n");
}
