// npm run db:migrate: migrate DATABASE_URL, or the embedded cluster under ./.data when unset.
import { startEmbeddedPostgres } from "../server/db/embedded";
import { applyMigrations } from "../server/db/migrate";

async function main(): Promise<void> {
  const embedded = process.env.DATABASE_URL ? null : await startEmbeddedPostgres();
  try {
    const url = process.env.DATABASE_URL ?? embedded!.url;
    const applied = await applyMigrations(url, { log: (m) => console.log(m) });
    console.log(applied.length ? `${applied.length} migration(s) applied` : "database is up to date");
  } finally {
    await embedded?.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
