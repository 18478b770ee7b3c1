import { Subject, firstValueFrom, toArray } from "rxjs";
import { testFlowDeps } from "../support/flow-deps";
import { afterAll, beforeAll, expect, test } from "vitest";
import type { RawMention } from "../../collectors/source";
import { buildFlow } from "../../pipeline/flow";
import { compilePriorityRules } from "../../pipeline/stages/rank-priority";
import { openStore } from "../../pipeline/store/open-store";
import { Spill } from "../../pipeline/store/spill";
import type { Store } from "../../pipeline/store/store";
import { freshDatabase } from "../contracts/store.contract";
import { tempDirs } from "../support/temp-dir";

/** Priority as a stage of the real graph: ranked after sentiment and problem types, sent live and stored. */
const dirs = tempDirs();
const dataDir = dirs.make("earshot-flow-priority-");
let store: Store;
beforeAll(async () => {
  store = await openStore({ kind: "embedded", dataDir, database: freshDatabase() });
});
afterAll(() => store.close());

test("buildFlow() ranks each mention's priority from reach, sentiment, problem types and key authors, and stores it", async () => {
  const raw$ = new Subject<RawMention>();
  const flow = buildFlow(
    raw$,
    testFlowDeps({
      store,
      spill: new Spill(dirs.make("earshot-spill-")),
      priority: compilePriorityRules([{ name: "Lumio", vipAuthors: { test: ["@key_client"] } }]),
    }),
  );
  const live = firstValueFrom(flow.live$.pipe(toArray()));
  flow.start();
  const at = Date.now() - 60_000;
  const raws: RawMention[] = [
    { source: "test", sourceId: "loud", text: "Lumio znowu nie działa, awaria, masakra!", author: { handle: "news", followers: 120_000 }, publishedAt: at },
    { source: "test", sourceId: "vip", text: "Lumio: nowa oferta wygląda dobrze", author: { handle: "Key_Client", followers: 3 }, publishedAt: at },
    { source: "test", sourceId: "quiet", text: "Lumio ma fajną nową ofertę, polecam", author: { handle: "someone", followers: 12 }, publishedAt: at },
  ];
  for (const r of raws) raw$.next(r);
  raw$.complete();
  const mentions = (await live).flatMap((e) => (e.type === "mention" ? [e.mention] : []));
  expect(mentions.map((m) => [m.id, m.priority])).toEqual([
    ["test:loud", "high"],
    ["test:vip", "high"],
    ["test:quiet", "low"],
  ]);
  await flow.settled();
  expect((await store.mention("test:loud"))?.priority).toBe("high");
  expect((await store.mention("test:quiet"))?.priority).toBe("low");
});
