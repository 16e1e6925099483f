// A PostgreSQL cluster of a test's own (initdb and pg_ctl from the system's PostgreSQL), for tests
// that must freeze or stop the database: never the shared service. As root, it runs as the user
// postgres, which PostgreSQL requires.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { freePort } from "../server/db/embedded";

export type OwnPostgres = {
  url: string;
  /** SIGSTOP (or SIGCONT) the postmaster and every backend: a database that hangs, not one that is down */
  signal(signal: "SIGSTOP" | "SIGCONT"): void;
  stop(): Promise<void>;
};

function binDir(): string {
  const root = "/usr/lib/postgresql";
  const versions = fs.existsSync(root) ? fs.readdirSync(root).filter((v) => fs.existsSync(path.join(root, v, "bin", "initdb"))) : [];
  if (versions.length === 0) throw new Error(`no PostgreSQL binaries under ${root}/*/bin (Debian: apt-get install postgresql)`);
  return path.join(root, versions.sort((a, b) => Number(b) - Number(a))[0]!, "bin");
}

function run(bin: string, args: string[]): string {
  const asRoot = process.getuid?.() === 0;
  const [command, argv] = asRoot ? ["runuser", ["-u", "postgres", "--", bin, ...args]] : [bin, args];
  return execFileSync(command, argv, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

export async function startOwnPostgres(): Promise<OwnPostgres> {
  const bin = binDir();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tandem-own-pg-"));
  if (process.getuid?.() === 0) execFileSync("chown", ["postgres:", dir]);
  const data = path.join(dir, "data");
  const port = await freePort();
  run(path.join(bin, "initdb"), ["-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"]);
  run(path.join(bin, "pg_ctl"), [
    "-D",
    data,
    "-l",
    path.join(dir, "log"),
    "-w",
    "-o",
    `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`,
    "start",
  ]);
  const postmaster = Number(fs.readFileSync(path.join(data, "postmaster.pid"), "utf8").split("\n")[0]);
  const children = () => {
    try {
      return execFileSync("ps", ["-o", "pid=", "--ppid", String(postmaster)], { encoding: "utf8" })
        .split("\n")
        .map(Number)
        .filter(Boolean);
    } catch {
      return []; // ps exits 1 when there are none
    }
  };
  const pids = () => [postmaster, ...children()];
  let stopped = false;
  return {
    url: `postgresql://postgres@127.0.0.1:${port}/postgres`,
    signal(signal) {
      for (const pid of pids()) {
        try {
          process.kill(pid, signal);
        } catch {
          // a backend that just exited
        }
      }
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      for (const pid of pids()) {
        try {
          process.kill(pid, "SIGCONT");
        } catch {
          // gone already
        }
      }
      run(path.join(bin, "pg_ctl"), ["-D", data, "-m", "immediate", "-w", "stop"]);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
