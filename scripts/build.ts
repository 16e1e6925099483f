// `npm run build`: next build, recording which sources it was made from (see ensure-build.ts).
import { ensureBuild } from "./ensure-build.ts";

ensureBuild({ force: true });
