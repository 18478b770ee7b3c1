/**
 * Links, handles, e-mail addresses and hashtags are Latin (and often English)
 * whatever the language around them: "Lumio nie działa #fail #outage" is Polish.
 * Cheap check first, so most mentions skip the regular expression.
 */
const NOT_PROSE = /(?:https?:\/\/|www\.)\S+|[\w.+-]*@[\w.-]+|#[\p{L}\p{N}_]+/giu;

export const stripNonProse = (text: string): string =>
  text.includes("@") || text.includes("http") || text.includes("www.") || text.includes("#") ? text.replace(NOT_PROSE, " ") : text;
