// Runs in the browser before any of the app's modules (Next.js's instrumentation-client file).
// zod compiles its object parsers with `new Function` unless told not to, and its feature test of
// eval alone breaks the page's Content-Security-Policy (no 'unsafe-eval'); the schemas of lib/ are
// built when their modules load, so this must come first.
import { z } from "zod";

z.config({ jitless: true });
