import { escapeHtml } from "../alerts/escape";
import { cleanText } from "./clean-text";
import { fill, reportFormat, type ReportFormat } from "./report-format";
import type { ReportLang } from "./report-labels";
import type { Trend, WeeklyFigures } from "./weekly-figures";

/**
 * The weekly report as an e-mail: a plain HTML body (tables and inline styles
 * only, which mail clients keep) and its text alternative, in the manager's
 * language; the PDF travels as an attachment. Every text that came from a
 * mention or a brand name is escaped in the HTML and cleaned in both.
 */
export interface ReportEmail {
  subject: string;
  html: string;
  text: string;
}

const QUOTE_CHARS = 280;

export function renderReportEmail(figures: WeeklyFigures, options: { lang: ReportLang; recipientName: string }): ReportEmail {
  const f = reportFormat(options.lang, figures.timeZone);
  const l = f.labels;
  const brand = cleanText(figures.brand, 80);
  const period = f.period(figures.from, figures.to);
  const trend = (t: Trend) => {
    const change = f.change(t);
    return change === null ? l.noComparison : `${t.change! > 0 ? "▲" : t.change! < 0 ? "▼" : "="} ${change} ${fill(l.versus, { week: figures.previousWeek })}`;
  };
  const headline: [string, string, string][] = [
    [l.mentions, f.integer(figures.volume.current ?? 0), trend(figures.volume)],
    [l.netSentiment, f.signed(figures.netSentiment.current), trend(figures.netSentiment)],
    [l.negativeShare, f.percent(figures.negativeShare.current), trend(figures.negativeShare)],
  ];
  const problems = figures.problems
    .filter((p) => p.count > 0)
    .slice(0, 5)
    .map((p) => [l.problemNames[p.type] ?? p.type, f.integer(p.count), f.countChange(p.change)] as const);
  const incidents = incidentLine(figures, f);
  const quote = (set: WeeklyFigures["quotes"]["negative"]) => set.items[0] === undefined ? null : cleanText(set.items[0].text, QUOTE_CHARS);
  const negative = quote(figures.quotes.negative);
  const positive = quote(figures.quotes.positive);

  const subject = `[Earshot] ${fill(l.subject, { brand, week: figures.week })}`;
  const text = [
    fill(l.greeting, { name: cleanText(options.recipientName, 80) }),
    fill(l.intro, { brand, period }),
    "",
    ...headline.map(([k, v, t]) => `${k}: ${v} (${t})`),
    "",
    ...(problems.length > 0 ? [`${l.problems}:`, ...problems.map(([k, n, c]) => `  ${k}: ${n} (${c})`), ""] : []),
    `${l.incidents}: ${incidents}`,
    ...(negative !== null ? ["", `${l.negativeQuotes}:`, `  “${negative}”`] : []),
    ...(positive !== null ? ["", `${l.positiveQuotes}:`, `  “${positive}”`] : []),
    "",
    l.attached,
    "",
    `— ${l.sentBy}`,
  ].join("\n");

  const cell = 'style="padding:4px 12px 4px 0;text-align:left"';
  const html = [
    `<!doctype html><html lang="${options.lang}"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>`,
    `<body style="font-family:system-ui,-apple-system,Segoe UI,sans-serif;color:#1b1b1b">`,
    `<p>${escapeHtml(fill(l.greeting, { name: cleanText(options.recipientName, 80) }))}</p>`,
    `<p>${escapeHtml(fill(l.intro, { brand, period }))}</p>`,
    `<h2 style="margin:16px 0 8px">${escapeHtml(l.title)}: ${escapeHtml(brand)} · ${escapeHtml(figures.week)}</h2>`,
    `<table style="border-collapse:collapse">`,
    ...headline.map(([k, v, t]) => `<tr><th ${cell}>${escapeHtml(k)}</th><td ${cell}><strong>${escapeHtml(v)}</strong></td><td ${cell}>${escapeHtml(t)}</td></tr>`),
    `</table>`,
    problems.length > 0
      ? [
          `<h3 style="margin:16px 0 8px">${escapeHtml(l.problems)}</h3><table style="border-collapse:collapse">`,
          ...problems.map(([k, n, c]) => `<tr><td ${cell}>${escapeHtml(k)}</td><td ${cell}>${escapeHtml(n)}</td><td ${cell}>${escapeHtml(c)}</td></tr>`),
          `</table>`,
        ].join("\n")
      : "",
    `<h3 style="margin:16px 0 8px">${escapeHtml(l.incidents)}</h3><p>${escapeHtml(incidents)}</p>`,
    negative !== null ? quoteHtml(l.negativeQuotes, negative, "#c62828") : "",
    positive !== null ? quoteHtml(l.positiveQuotes, positive, "#2e7d32") : "",
    `<p>${escapeHtml(l.attached)}</p>`,
    `<p style="color:#6b6b6b;font-size:12px">${escapeHtml(l.sentBy)}</p>`,
    `</body></html>`,
  ].join("\n");
  return { subject, html, text };
}

function incidentLine(figures: WeeklyFigures, f: ReportFormat): string {
  if (figures.incidentSummary.count === 0) return f.labels.noIncidents;
  return `${f.integer(figures.incidentSummary.count)} · ${fill(f.labels.incidentMedians, {
    tta: f.duration(figures.incidentSummary.medianTimeToAcknowledgeMs),
    ttr: f.duration(figures.incidentSummary.medianTimeToResolveMs),
  })}`;
}

function quoteHtml(title: string, text: string, colour: string): string {
  // white-space kept, never turned into markup: the text is escaped
  return `<h3 style="margin:16px 0 8px">${escapeHtml(title)}</h3><blockquote style="margin:0;padding:4px 12px;border-left:3px solid ${colour};white-space:pre-wrap">${escapeHtml(text)}</blockquote>`;
}
