// `npm start`: build the production bundle when there is none, then run the one server process.
import { ensureBuild } from "./ensure-build.ts";

ensureBuild();
(process.env as Record<string, string>).NODE_ENV = "production";
await import("../server/cli.ts");
