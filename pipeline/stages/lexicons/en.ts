import type { LexiconSource } from "./lexicon";

/**
 * English additions for what AFINN-165 and wink-nlp do not know about service
 * talk: outages ("is down", "keeps crashing"), waiting, billing. Only words and
 * phrases AFINN lacks are listed, so nothing is counted twice; the few phrases
 * that contain an AFINN word carry a correction for it, noted beside them.
 */
const terms: Record<string, number> = {
  // --- outages and things that do not work
  "is down": -2,
  "are down": -2,
  "was down": -2,
  "went down": -2,
  "goes down": -2,
  "still down": -2.5,
  "down again": -2.5,
  "down for": -1,
  "crashing": -2,
  "crashes": -2,
  "crashed": -2,
  "keeps crashing": -2.5,
  "not working": -2.5,
  "stopped working": -2.5,
  "doesn't work": -2.5,
  "does not work": -2.5,
  "don't work": -2.5,
  "won't load": -2,
  "not loading": -2,
  "can't connect": -2,
  "cannot connect": -2,
  "can't log": -1.5,
  "cannot log": -1.5,
  "keeps dropping": -2,
  "no internet": -2,
  "no signal": -2,
  "no service": -2,
  "no connection": -2,
  "no response": -2,
  "no reply": -2,
  "no answer": -1.5,
  "no power": -2,
  "without internet": -2,
  "laggy": -1.5,
  "lagging": -1.5,
  "buggy": -1.5,
  "glitch*": -1.5,
  "slow": -1,
  "slower": -1,
  "unusable": -2.5,
  "unreachable": -1.5,
  "unresponsive": -1.5,
  "downtime": -1.5,
  "dead zone": -1.5,

  // --- waiting, delivery, billing
  "still waiting": -1.5,
  "waiting for hours": -2,
  "on hold": -1,
  "hours on hold": -2,
  "never arrived": -2,
  "never received": -2,
  "hasn't arrived": -2,
  "still hasn't": -1.5,
  "overcharg*": -2,
  "overpriced": -2,
  "rip off": -2.5,
  "ripoff": -2.5,
  "price hike": -1.5,
  "hidden fees": -2,
  "switching to": -1,
  "cancel my": -1,
  "what a joke": -4, // AFINN scores "joke" +2
  "thanks for nothing": -4, // AFINN scores "thanks" +2
  "no problems": 3, // AFINN scores "problems" -2 and does not negate after "no"
  "no problem": 3,
  "no issues": 1.5,

  // --- praise AFINN lacks
  "fixed": 1.5,
  "works now": 2,
  "working again": 2,
  "works again": 2,
  "back up": 1.5,
  "back online": 1.5,
  "up and running": 1.5,
  "quickly": 1,
  "fast": 1,
  "smooth": 1.5,

  // --- reviews: rooms, food, goods (words AFINN lacks)
  "tasty": 2,
  "cramped": -1.5,
  "smelly": -2,
  "stale": -1.5,
  "sturdy": 1.5,
  "flimsy": -2,
  "cozy": 2,
  "cosy": 2,
  "as described": 1.5,
  "as advertised": 1.5,
  "cheaply made": -2,
  "scratched": -1.5,
  "leaks": -1.5,
  "leaking": -1.5,
  "fell apart": -2.5,
  "falling apart": -2.5,
  "waste of money": -3,
  "worth every penny": 3,
  "highly recommend": 3,
};

export const EN: LexiconSource = {
  terms,
  negators: ["not", "no", "never", "don't", "doesn't", "isn't", "wasn't", "won't", "can't", "cannot", "didn't", "without"],
  intensifiers: {},
  fold: (s) => s.replace(/’/g, "'"),
};
