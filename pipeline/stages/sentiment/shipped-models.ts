import { readFileSync } from "node:fs";
import type { SentimentModel } from "./model";
import type { ModelLang } from "./tokenize";
import { decodeWeights } from "./weights-file";

/**
 * The models shipped in weights/ (written by train.ts), read once. A missing or
 * damaged file is a broken install, and says which file.
 */
export const SHIPPED_LANGS: readonly ModelLang[] = ["pl", "ru", "en"];

export const weightsUrl = (lang: ModelLang): URL => new URL(`./weights/${lang}.bin.gz`, import.meta.url);

export const loadShippedModels = (): Record<ModelLang, SentimentModel> => {
  const models = {} as Record<ModelLang, SentimentModel>;
  for (const lang of SHIPPED_LANGS) {
    const url = weightsUrl(lang);
    models[lang] = decodeWeights(readFileSync(url), url.pathname);
  }
  return models;
};
