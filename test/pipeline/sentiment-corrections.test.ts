import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { SentimentCorrections } from "../../pipeline/sentiment-corrections";
import { scoreSentiment } from "../../pipeline/stages/score-sentiment";
import { openStore } from "../../pipeline/store/open-store";
import type { CorrectionRecord, Store } from "../../pipeline/store/store";
import { freshDatabase } from "../contracts/store.contract";
import { tempDirs } from "../support/temp-dir";

const dirs = tempDirs();
let store: Store;
const T = Date.UTC(2026, 10, 23, 12, 0);

const correction = (mentionId: string, text: string, lang: "pl" | "ru", value: string, at = T): CorrectionRecord => ({
  mentionId,
  field: "sentiment",
  value,
  text,
  lang,
  correctedBy: "ola",
  at,
});

beforeAll(async () => {
  store = await openStore({ kind: "embedded", dataDir: dirs.make("earshot-corrections-"), database: freshDatabase() });
});
afterAll(async () => {
  await store.close();
});

describe("SentimentCorrections", () => {
  test("score() is the shipped scorer while no correction is stored", async () => {
    const corrections = new SentimentCorrections(store);
    await corrections.relearn();
    const text = "Lumio ogłasza nowy cennik od marca";
    expect(corrections.score(text, "pl", null)).toEqual(scoreSentiment(text, "pl", null));
  });

  test("relearn() after the team's corrections scores the corrected texts and their paraphrases their way and leaves the rest", async () => {
    // Price announcements read as polar by the shipped model; the team says they are neutral news.
    expect(scoreSentiment("Lumio ogłasza nowy cennik od marca", "pl", null).label).toBe("positive");
    await store.saveCorrection(correction("rss:1", "Lumio ogłasza nowy cennik od marca", "pl", "neutral"));
    await store.saveCorrection(correction("rss:2", "Люмио объявила новые тарифы", "ru", "neutral"));
    const corrections = new SentimentCorrections(store);
    await corrections.relearn();

    expect(corrections.score("Lumio ogłasza nowy cennik od marca", "pl", null).label).toBe("neutral");
    expect(corrections.score("Lumio ogłasza nowy cennik usług", "pl", null).label).toBe("neutral");
    expect(corrections.score("Люмио объявила новые тарифы", "ru", null).label).toBe("neutral");
    for (const [text, lang] of [
      ["Lumio znowu nie działa, masakra", "pl"],
      ["Świetna obsługa w Lumio, polecam", "pl"],
      ["Люмио опять не работает, ужас", "ru"],
    ] as const) {
      expect(corrections.score(text, lang, null).label).toBe(scoreSentiment(text, lang, null).label);
    }
  });

  test("relearn() follows the newest correction of a mention", async () => {
    await store.saveCorrection(correction("rss:3", "Lumio podnosi ceny abonamentu", "pl", "positive", T + 1));
    await store.saveCorrection(correction("rss:3", "Lumio podnosi ceny abonamentu", "pl", "negative", T + 2));
    const corrections = new SentimentCorrections(store);
    await corrections.relearn();
    expect(corrections.score("Lumio podnosi ceny abonamentu", "pl", null).label).toBe("negative");
  });

  test("relearn() while the store is down rejects and keeps the scorer it had", async () => {
    const down = new SentimentCorrections({ corrections: () => Promise.reject(new Error("store down")) });
    await expect(down.relearn()).rejects.toThrow("store down");
    const text = "Lumio ogłasza nowy cennik od marca";
    expect(down.score(text, "pl", null)).toEqual(scoreSentiment(text, "pl", null));
  });
});
