import { readFileSync } from "node:fs";
import type { ProblemModel } from "./problem-model";
import { decodeProblemModel } from "./problem-model-file";

/** Where training/train.ts writes the shipped model. */
export const problemModelUrl = new URL("./model/problems.bin.gz", import.meta.url);

let shipped: ProblemModel | undefined;

/** The shipped model, read once; a missing or damaged file is a broken install and names the file. */
export function shippedProblemModel(): ProblemModel {
  shipped ??= decodeProblemModel(readFileSync(problemModelUrl), problemModelUrl.pathname);
  return shipped;
}
