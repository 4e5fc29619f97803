// The rollout records `muniops agents deploy` appends to its history file (contracts/rolloutHistory.ts),
// read for the operations page and /api/v1/operations/rollouts: newest first, at most `limit`.
import { readRolloutHistory, type RolloutRecord } from "../../contracts/rolloutHistory.js";

export async function recentRollouts(path: string, limit: number): Promise<RolloutRecord[]> {
  return (await readRolloutHistory(path)).slice(-limit).reverse();
}
