import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { CORE_LANGS, isKnownLang, type KnownLang } from "./languages";

type EldModule = typeof import("eld/small");
type Detector = ReturnType<EldModule["eld"]["newInstance"]>;

/**
 * The statistical fallback: eld 2 (Nito-ELD, byte 4-gram scores over 60 languages,
 * node_modules/eld/README.md). We load the static "small" database: on this machine
 * it loads in ~0.3 s and holds ~45 MB of heap, against ~0.9 s and ~140 MB for
 * "large", and on the labelled hard cases it is as accurate as medium and large
 * (see the README section "Language detection").
 *
 * We score all 60 languages and restrict the answer ourselves instead of calling
 * `setLanguageSubset()`: a Croatian or Turkish post must come back `und`, not as the
 * nearest language we happen to name.
 */
let detector: Detector | undefined;

/**
 * Loads the eld database now rather than at the first text that needs it; later
 * calls return the same detector. It is not loaded on import, so that commands
 * which only validate a configuration (the brand queries import the language
 * detector) do not pay for it; `earshot start` calls this before the first
 * mention arrives.
 *
 * `detectLanguage()` is synchronous, so the load is too: Node ≥ 20.19 (our
 * `engines`) can `require()` an ES module (nodejs.org/api/modules.html,
 * "Loading ECMAScript modules using require()"). eld exports "./small" under the
 * "import" condition only, so we resolve the file as an import would and require
 * that path; Node shares one module instance between the two.
 */
export const loadEld = (): Detector => {
  if (detector === undefined) {
    const file = fileURLToPath(import.meta.resolve("eld/small"));
    const { eld } = createRequire(import.meta.url)(file) as EldModule;
    detector = eld.newInstance();
  }
  return detector;
};

/** A language we do not name wins by this much (its score over ours) before we answer `und`. */
const OTHER_RATIO = 0.94;
/** A language our users write is preferred when it scores at least this share of the winner. */
const CORE_LEAN = 0.96;
/** A claimed language is taken when it scores at least this share of the winner. */
const CLAIM_LEAN = 0.95;

export interface EldGuess {
  lang: KnownLang | "und";
  confidence: number;
  method: "eld" | "eld-other" | "claimed";
}

/**
 * eld's answer restricted to `allowed`, or null when eld has no evidence (no
 * n-gram it knows). `claimed` breaks near-ties.
 */
export const guessWithEld = (text: string, allowed: ReadonlySet<KnownLang>, claimed: KnownLang | null): EldGuess | null => {
  const scores = (detector ?? loadEld()).detect(text).getScores();
  let bestAny = 0;
  let best: KnownLang | null = null;
  let bestScore = 0;
  let second = 0;
  for (const code in scores) {
    const score = scores[code] ?? 0;
    if (score > bestAny) bestAny = score;
    if (!isKnownLang(code) || !allowed.has(code)) continue;
    if (score > bestScore) {
      second = bestScore;
      bestScore = score;
      best = code;
    } else if (score > second) second = score;
  }
  if (bestAny === 0) return null;
  if (best === null || bestScore < bestAny * OTHER_RATIO) return { lang: "und", confidence: round(0.3 + 0.4 * bestAny), method: "eld-other" };

  let lang: KnownLang = best;
  if (claimed !== null && claimed !== best && (scores[claimed] ?? 0) >= bestScore * CLAIM_LEAN) {
    return { lang: claimed, confidence: round(0.4 * bestScore), method: "claimed" };
  }
  if (!CORE_LANGS.includes(best)) {
    for (const core of CORE_LANGS) {
      if (allowed.has(core) && (scores[core] ?? 0) >= bestScore * CORE_LEAN) {
        lang = core;
        break;
      }
    }
  }
  // eld's scores sit in (0, 1), around 0.8 for a clear sentence; the margin over
  // the runner-up says how sure it is.
  const margin = Math.min(1, (bestScore - second) / 0.15);
  return { lang, confidence: round(bestScore * (0.5 + 0.45 * margin)), method: "eld" };
};

const round = (n: number): number => Math.round(n * 100) / 100;
