import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { buildState, ensureBuild, sourceFingerprint } from "./ensure-build";

let root: string;
const write = (file: string, text: string) => {
  fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
  fs.writeFileSync(path.join(root, file), text);
};
/** Stands in for next build: writes a BUILD_ID, counts its runs. */
let builds = 0;
const fakeBuild = (dir: string) => {
  builds++;
  write(path.relative(root, path.join(dir, ".next", "BUILD_ID")), `build-${builds}`);
};
const run = () => ensureBuild({ root, log: () => {}, build: fakeBuild });

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), "tandem-ensure-build-"));
  builds = 0;
  write(
    "app/page.tsx",
    'import { a } from "@/lib/merge";\nimport "./globals.css";\nconst Editor = dynamic(() => import("@/components/editor"));\nexport default a;',
  );
  write("app/globals.css", "body {}");
  write("components/editor.tsx", 'import { b } from "../lib/helpers";\nexport default b;');
  write("lib/merge.ts", 'export { b } from "./helpers";\nexport const a = 1;');
  write("lib/helpers.ts", "export const b = 1;");
  write("server/usecases/save.ts", "export const nobodyImportsThis = 1;");
  write("next.config.ts", "export default {};");
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

describe("ensureBuild: npm start rebuilds when the sources changed", () => {
  it("builds when there is no build, then not again while nothing changed", () => {
    expect(run()).toBe("missing");
    expect(run()).toBe("fresh");
    expect(builds).toBe(1);
  });

  it("rebuilds after a source changed (as after a git pull)", () => {
    run();
    write("lib/merge.ts", "export const a = 2;");
    expect(buildState(root)).toBe("stale");
    expect(run()).toBe("stale");
    expect(builds).toBe(2);
    expect(buildState(root)).toBe("fresh");
  });

  it("rebuilds for a new file and for a changed config file", () => {
    run();
    write("app/new/page.tsx", "export {};");
    run();
    write("next.config.ts", "export default { poweredByHeader: false };");
    run();
    expect(builds).toBe(3);
  });

  it("follows imports (alias, relative, dynamic, CSS) and leaves out files no page imports", () => {
    run();
    write("lib/helpers.ts", "export const b = 2;"); // imported by a dynamically imported component
    expect(run()).toBe("stale");
    write("app/globals.css", "body { color: red }");
    expect(run()).toBe("stale");
    write("server/usecases/save.ts", "export const nobodyImportsThis = 2;");
    expect(run()).toBe("fresh");
    expect(builds).toBe(3);
  });

  it("ignores tests, which are not in the bundle", () => {
    run();
    write("lib/merge.test.ts", "it('x', () => {});");
    expect(run()).toBe("fresh");
    expect(builds).toBe(1);
  });

  it("rebuilds a build that carries no record (made by next build directly)", () => {
    write(".next/BUILD_ID", "by hand");
    expect(run()).toBe("unrecorded");
    expect(builds).toBe(1);
  });

  it("records nothing when the build fails, so the next start tries again", () => {
    expect(() =>
      ensureBuild({
        root,
        log: () => {},
        build: () => {
          throw new Error("next build failed");
        },
      }),
    ).toThrow("next build failed");
    expect(buildState(root)).toBe("missing");
  });

  it("the fingerprint is of contents, not of modification times", () => {
    const before = sourceFingerprint(root).hash;
    const later = new Date(Date.now() + 60_000);
    fs.utimesSync(path.join(root, "lib/merge.ts"), later, later);
    expect(sourceFingerprint(root).hash).toBe(before);
  });
});
