import { EN_PROBLEM_TERMS } from "./en";
import { PL_PROBLEM_TERMS } from "./pl";
import type { ProblemTermDefaults } from "./problem-types";
import { RU_PROBLEM_TERMS } from "./ru";
import { UK_PROBLEM_TERMS } from "./uk";

/** The shipped term lists; configuration adds to them or removes from them (see problems-config.ts). */
export const DEFAULT_PROBLEM_TERMS: ProblemTermDefaults = {
  en: EN_PROBLEM_TERMS,
  pl: PL_PROBLEM_TERMS,
  ru: RU_PROBLEM_TERMS,
  uk: UK_PROBLEM_TERMS,
};
