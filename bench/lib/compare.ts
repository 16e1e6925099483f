// Side by side: a Tandem figure and its raw baseline measured in alternating rounds (raw, tandem,
// then tandem, raw, …), so that a machine whose load drifts during the run (other processes, a
// warming cache) weighs on both sides alike and the ratio holds.
import { mergeResults, type LoadResult, type Timing } from "./load.ts";
import type { BenchOptions } from "../scenarios/types.ts";

export type Measure = (timing: Timing) => Promise<LoadResult>;

export async function sideBySide(
  options: BenchOptions,
  label: string,
  sides: { raw: Measure; tandem: Measure },
  scale = 1,
): Promise<{ raw: LoadResult; tandem: LoadResult }> {
  const parts = { raw: [] as LoadResult[], tandem: [] as LoadResult[] };
  const rounds = options.rounds;
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? (["raw", "tandem"] as const) : (["tandem", "raw"] as const);
    for (const side of order) {
      const timing: Timing = {
        warmupMs: (round === 0 ? options.warmupMs : options.warmupMs / 2) * scale,
        durationMs: (options.durationMs / rounds) * scale,
        label: `${label} [${side}]`,
      };
      parts[side].push(await sides[side](timing));
    }
  }
  return { raw: mergeResults(parts.raw), tandem: mergeResults(parts.tandem) };
}
