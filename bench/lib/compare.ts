// Side by side: a Tandem figure and its baselines measured in alternating rounds (raw, bare HTTP,
// tandem, then tandem, bare HTTP, raw, …), so that a machine whose load drifts during the run
// (other processes, a warming cache) weighs on every side alike and the ratios hold.
import { mergeResults, type LoadResult, type Timing } from "./load.ts";
import type { BenchOptions } from "../scenarios/types.ts";

export type Measure = (timing: Timing) => Promise<LoadResult>;

/** Every side measured in each round, the order reversed every other round; `scale` stretches the timing. */
export async function sideBySide<S extends string>(options: BenchOptions, label: string, sides: Record<S, Measure>, scale = 1): Promise<Record<S, LoadResult>> {
  const names = Object.keys(sides) as S[];
  const parts = new Map<S, LoadResult[]>(names.map((n) => [n, []]));
  const rounds = options.rounds;
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? names : [...names].reverse();
    for (const side of order) {
      const timing: Timing = {
        warmupMs: (round === 0 ? options.warmupMs : options.warmupMs / 2) * scale,
        durationMs: (options.durationMs / rounds) * scale,
        label: `${label} [${side}]`,
      };
      parts.get(side)!.push(await sides[side](timing));
    }
  }
  return Object.fromEntries(names.map((n) => [n, mergeResults(parts.get(n)!)])) as Record<S, LoadResult>;
}
