// The contract every scenario module keeps: given the running stack, return table rows, each a
// Tandem figure beside its raw baseline measured in the same run.
import type http from "node:http";
import type pg from "pg";
import type { BareHttp } from "../lib/bare-http.ts";
import type { Cleanup, ServerProcess } from "../lib/environment.ts";
import type { LoadResult } from "../lib/load.ts";
import type { Workspace } from "../lib/fixtures.ts";
import type { ScaleCollection } from "../lib/scale-data.ts";

export type BenchOptions = {
  quick: boolean;
  warmupMs: number;
  durationMs: number;
  /** alternating raw/tandem rounds per figure (the duration is split among them) */
  rounds: number;
  /** the server's pool size (DATABASE_POOL_SIZE); raw baselines use a pool of the same size */
  poolSize: number;
  /** collection sizes the save path and the list pages are measured at (the first one also for the client sweep) */
  records: number[];
  /** history lengths the revision pages are measured at */
  revisions: number[];
  /** fan-out room sizes */
  watchers: number[];
};

export type ScenarioContext = {
  url: string;
  /** the server child's pid, to read its CPU time and memory from /proc */
  serverPid: number;
  /** another server process on the same database, with extra flags for node (stopped by the caller, or at cleanup at the latest) */
  startServer: (nodeArgs?: string[], env?: Record<string, string>) => Promise<ServerProcess>;
  /** processes a scenario starts register their stop here too, so that Ctrl-C stops them */
  cleanup: Cleanup;
  /** a pool on the bench database for setup and verification (not for measured traffic) */
  admin: pg.Pool;
  databaseUrl: string;
  workspace: Workspace;
  /** the bare HTTP baseline (workers/bare-http.ts), started on first use and stopped with the bench */
  bareHttp: () => Promise<BareHttp>;
  /** one collection that only grows, shared by the save path and data scale */
  scale: ScaleCollection;
  options: BenchOptions;
  newAgent: (maxSockets: number) => http.Agent;
  log: (line: string) => void;
};

export type Goal = { label: string; ok: boolean };

/**
 * One line of the table. `ratio` compares Tandem with its baseline: for throughput rows
 * tandem/raw (1 = as fast as raw), for latency rows raw/tandem on p50 (same reading: higher is better).
 * `http` is the bare HTTP baseline where there is one, and `httpRatio` Tandem's ratio to it.
 */
export type BenchRow = {
  scenario: string;
  case: string;
  kind: "throughput" | "latency";
  tandem: LoadResult;
  raw: LoadResult;
  ratio: number;
  http?: LoadResult;
  httpRatio?: number;
  goals: Goal[];
  notes: Record<string, string | number>;
};

export type Scenario = {
  name: string;
  /** one line for --help */
  description: string;
  run: (ctx: ScenarioContext) => Promise<BenchRow[]>;
};
