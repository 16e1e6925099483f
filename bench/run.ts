// `npm run bench [-- --quick] [--only save,hot] [--cpu-prof]`: starts everything it needs (build,
// database, server), runs the scenarios, prints one table, writes bench/results/<time>.json, and
// stops every process it started. See bench/README.md.
import { randomBytes } from "node:crypto";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import pg from "pg";
import { lazyBareHttp } from "./lib/bare-http.ts";
import { summarizeCpuProfile, type ProfileWindow } from "./lib/cpu-profile.ts";
import { Cleanup, ensureProductionBuild, startDatabase, startServerProcess } from "./lib/environment.ts";
import { createWorkspace } from "./lib/fixtures.ts";
import { createAgent } from "./lib/http-client.ts";
import { measuredWindows } from "./lib/load.ts";
import { describeMachine, errorCount, formatTable, writeResults } from "./lib/report.ts";
import { ScaleCollection } from "./lib/scale-data.ts";
import { SCENARIOS } from "./scenarios/index.ts";
import type { BenchOptions, BenchRow, ScenarioContext } from "./scenarios/types.ts";

const benchDir = path.dirname(fileURLToPath(import.meta.url));
const resultsDir = path.join(benchDir, "results");
const log = (line: string) => console.log(line);

const { values: args } = parseArgs({
  options: {
    quick: { type: "boolean", default: false },
    only: { type: "string" },
    "cpu-prof": { type: "boolean", default: false },
    duration: { type: "string" },
    records: { type: "string" },
    revisions: { type: "string" },
    watchers: { type: "string" },
    warmup: { type: "string" },
    help: { type: "boolean", default: false },
  },
});

if (args.help) {
  console.log(`npm run bench -- [options]
  --quick          short smoke run (seconds per figure, 10k records)
  --only a,b       run only the scenarios whose name contains one of these words
  --cpu-prof       profile the server process (node --cpu-prof) and summarize where its CPU went
  --duration S     seconds measured per figure (default 10, quick 1.5)
  --warmup S       seconds of warm-up before each figure (default 2, quick 0.5)
  --records L      collection sizes for data scale, e.g. 10k,100k (default 10k,100k,1M; quick 10k);
                   the save path's client sweep runs at the first; 1M adds about 2 minutes
  --revisions L    history lengths (default 10k,100k; quick 1k)
  --watchers L     fan-out room sizes (default 1000,5000; quick 100,300)
Scenarios:\n${SCENARIOS.map((s) => `  ${s.name.padEnd(12)} ${s.description}`).join("\n")}`);
  process.exit(0);
}

/** "10k,100k,1M" → [10000, 100000, 1000000] */
function sizes(list: string | undefined, fallback: number[]): number[] {
  if (!list) return fallback;
  const values = list.split(",").map((item) => {
    const match = /^\s*(\d+(?:\.\d+)?)\s*([kKmM]?)\s*$/.exec(item);
    const value = match ? Math.round(Number(match[1]) * { "": 1, k: 1e3, m: 1e6 }[match[2]!.toLowerCase() as "" | "k" | "m"]) : NaN;
    if (!Number.isSafeInteger(value) || value < 1) {
      console.error(`not a size: "${item}" (write e.g. --records 10k,100k,1M)`);
      process.exit(2);
    }
    return value;
  });
  return values.sort((a, b) => a - b);
}

const options: BenchOptions = {
  quick: args.quick,
  durationMs: 1000 * Number(args.duration ?? (args.quick ? 1.5 : 10)),
  warmupMs: 1000 * Number(args.warmup ?? (args.quick ? 0.5 : 2)),
  rounds: args.quick ? 1 : 2,
  poolSize: 20,
  records: sizes(args.records, args.quick ? [10_000] : [10_000, 100_000, 1_000_000]),
  revisions: sizes(args.revisions, args.quick ? [1_000] : [10_000, 100_000]),
  watchers: sizes(args.watchers, args.quick ? [100, 300] : [1_000, 5_000]),
};
const only = args.only
  ?.split(",")
  .map((s) => s.trim().toLowerCase())
  .filter(Boolean);
const scenarios = SCENARIOS.filter((s) => !only || only.some((word) => s.name.includes(word)));

async function main(cleanup: Cleanup): Promise<number> {
  const startedAt = new Date();
  const loadBefore = os.loadavg()[0]!;
  process.chdir(path.resolve(benchDir, ".."));
  ensureProductionBuild(log);
  const databaseUrl = await startDatabase(cleanup, log);
  const profileDir = path.join(resultsDir, `profile-${startedAt.toISOString().replace(/[:.]/g, "-")}`);
  const authSecret = randomBytes(32).toString("hex");
  const server = await startServerProcess(
    { databaseUrl, poolSize: options.poolSize, log, authSecret, nodeArgs: args["cpu-prof"] ? ["--cpu-prof", `--cpu-prof-dir=${profileDir}`] : [] },
    cleanup,
  );
  const admin = new pg.Pool({ connectionString: databaseUrl, max: 4 });
  cleanup.add("close the setup pool", () => admin.end());
  const postgres = (await admin.query<{ v: string }>(`SELECT split_part(version(), ' on ', 1) AS v`)).rows[0]!.v;

  const setupAgent = createAgent(4);
  cleanup.add("close the setup agent", async () => setupAgent.destroy());
  const workspace = await createWorkspace(server.url, setupAgent, admin, options.quick ? 8 : 32);
  const ctx: ScenarioContext = {
    url: server.url,
    serverPid: server.pid,
    startServer: (nodeArgs = [], env = {}) => startServerProcess({ databaseUrl, poolSize: options.poolSize, log, authSecret, nodeArgs, env }, cleanup),
    cleanup,
    admin,
    databaseUrl,
    workspace,
    bareHttp: lazyBareHttp(cleanup, databaseUrl, options.poolSize),
    scale: new ScaleCollection(admin, workspace.id, workspace.users[0]!.id, log),
    options,
    newAgent: createAgent,
    log,
  };

  const rows: BenchRow[] = [];
  for (const scenario of scenarios) {
    log(`\n${scenario.name}: ${scenario.description}`);
    const t0 = performance.now();
    const got = await scenario.run(ctx);
    log(formatTable(got));
    log(`(${((performance.now() - t0) / 1000).toFixed(0)} s)`);
    rows.push(...got);
  }

  await server.stop();
  const durationS = Math.round((Date.now() - startedAt.getTime()) / 1000);
  log(
    `\nTandem beside its raw baselines (${options.quick ? "quick" : "full"} run, ${durationS} s; ratio: throughput tandem/raw, latency raw/tandem p50; vs http: tandem/bare HTTP)`,
  );
  log(formatTable(rows));
  const machine = describeMachine(postgres, loadBefore);
  log(
    `machine: ${machine.cpus} × ${machine.cpuModel}, ${machine.memoryGb} GB, ${machine.os}, Node ${machine.node}, ${machine.postgres}, load average ${machine.loadAverage}`,
  );
  const file = await writeResults(resultsDir, { startedAt, options, machine, rows, durationS });
  log(`results: ${path.relative(process.cwd(), file)}`);
  if (args["cpu-prof"]) {
    const windows = measuredWindows
      .filter((w) => w.label.endsWith("[tandem]"))
      .map((w) => ({ label: w.label.replace(/ \[tandem\]$/, ""), fromMs: w.startMs - server.spawnedAtMs, toMs: w.endMs - server.spawnedAtMs }));
    await reportProfile(profileDir, windows);
  }

  const broken = rows.filter((r) => errorCount(r) > 0 || r.goals.some((g) => g.label === "no lost update" && !g.ok));
  if (broken.length > 0) {
    log(`\nFAILED: errors or lost updates in: ${broken.map((r) => `${r.scenario} (${r.case})`).join(", ")}`);
    return 1;
  }
  return 0;
}

/** The server's main thread wrote the largest profile (the others are loader threads). */
async function reportProfile(dir: string, windows: ProfileWindow[]): Promise<void> {
  const files = (await fs.readdir(dir).catch(() => [] as string[])).filter((f) => f.endsWith(".cpuprofile"));
  const sized = await Promise.all(files.map(async (f) => ({ f, size: (await fs.stat(path.join(dir, f))).size })));
  const main = sized.sort((a, b) => b.size - a.size)[0];
  if (!main) return log("no CPU profile was written");
  const summary = await summarizeCpuProfile(path.join(dir, main.f), windows);
  const out = path.join(dir, "summary.txt");
  await fs.writeFile(out, `${summary}\n`);
  log(`\nCPU profile summary: ${path.relative(process.cwd(), out)} (open the .cpuprofile in Chrome DevTools for the flame chart)`);
}

const cleanup = new Cleanup();
let interrupted = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    interrupted = true;
    log(`\n${signal}: stopping…`);
    void cleanup.runAll(log).finally(() => process.exit(130));
  });
}
main(cleanup)
  .then(async (code) => {
    await cleanup.runAll(log);
    process.exit(code);
  })
  .catch(async (error: unknown) => {
    if (!interrupted) console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    await cleanup.runAll(log);
    process.exit(1);
  });
