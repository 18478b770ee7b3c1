import PDFDocument from "pdfkit";
import { cleanText as cleanAnyText } from "./clean-text";
import { drawDailyChart } from "./pdf-chart";
import { reportFonts } from "./report-fonts";
import { fill, reportFormat, type ReportFormat } from "./report-format";
import type { ReportLang } from "./report-labels";
import type { Trend, WeeklyFigures } from "./weekly-figures";

/**
 * The weekly report as a PDF, made with PDFKit in this process: no browser,
 * no network (https://pdfkit.org/docs/getting_started.html). Text is set in
 * DejaVu Sans so Polish and Cyrillic letters come out as written; every text
 * that came from a mention is cleaned and clipped first (clean-text.ts).
 */

const PAGE = { width: 595.28, height: 841.89, margin: 40 } as const; // A4 in points
const CONTENT = PAGE.width - 2 * PAGE.margin;
const COLOURS = { text: "#1b1b1b", muted: "#666666", rule: "#cccccc", up: "#2e7d32", down: "#c62828", neutral: "#1565c0", band: "#f3f5f8" };
const FONT = "earshot-regular";
const BOLD = "earshot-bold";
/** Longest quote shown, and longest cell, in characters. */
const QUOTE_CHARS = 400;
const CELL_CHARS = 60;

/**
 * DejaVu Sans has no glyphs for emoji and other characters beyond the Basic
 * Multilingual Plane; PDFKit would draw empty boxes for them, so they are
 * left out of the PDF (with the joiners and variation selectors that build
 * emoji sequences). The dashboard and the e-mail keep them.
 */
function cleanText(text: string, maxChars: number): string {
  return cleanAnyText(text.replace(/[\u{10000}-\u{10FFFF}\uFE0E\uFE0F\u200D\u20E3]/gu, ""), maxChars);
}

export interface RenderOptions {
  lang: ReportLang;
  /** Epoch ms, printed on the report and stored as the PDF's creation date. */
  producedAt: number;
}

export async function renderWeeklyPdf(figures: WeeklyFigures, options: RenderOptions): Promise<Buffer> {
  const f = reportFormat(options.lang, figures.timeZone);
  const fonts = reportFonts();
  const doc = new PDFDocument({
    size: "A4",
    margin: PAGE.margin,
    lang: options.lang,
    info: {
      Title: `${f.labels.title}: ${cleanText(figures.brand, 100)} ${figures.week}`,
      Author: "Earshot",
      CreationDate: new Date(options.producedAt),
    },
  });
  const chunks: Buffer[] = [];
  doc.on("data", (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
  });
  doc.registerFont(FONT, fonts.regular);
  doc.registerFont(BOLD, fonts.bold);
  doc.font(FONT).fillColor(COLOURS.text);

  header(doc, figures, f, options.producedAt);
  summary(doc, figures, f);
  section(doc, f.labels.daily, 170);
  const chartTop = doc.y;
  drawDailyChart(doc, figures.daily, { x: PAGE.margin, y: chartTop, width: CONTENT, height: 150 }, f, FONT);
  // the chart's labels moved the text cursor: continue below the chart itself
  doc.x = PAGE.margin;
  doc.y = chartTop + 158;

  section(doc, f.labels.problems, 60);
  if (figures.problems.length === 0) note(doc, f.labels.noProblems);
  else
    table(doc, [0.4, 0.2, 0.2, 0.2], f.labels.problemColumns, figures.problems.map((p) => [
      f.labels.problemNames[p.type] ?? p.type,
      f.integer(p.count),
      f.integer(p.previous),
      `${arrow(p.change)} ${f.countChange(p.change)}`,
    ]));

  section(doc, f.labels.sources, 60);
  if (figures.sources.length === 0) note(doc, f.labels.noMentions);
  else table(doc, [0.5, 0.25, 0.25], f.labels.sourceColumns, figures.sources.map((s) => [s.source, f.integer(s.count), f.integer(s.negative)]));

  for (const [title, authors] of [
    [f.labels.authorsByReach, figures.authorsByReach],
    [f.labels.authorsByCount, figures.authorsByCount],
  ] as const) {
    section(doc, title, 60);
    if (authors.length === 0) note(doc, f.labels.noMentions);
    else
      table(doc, [0.4, 0.2, 0.2, 0.2], f.labels.authorColumns, authors.map((a) => [
        a.name !== "" && a.name !== a.handle ? `${a.name} (@${a.handle})` : `@${a.handle}`,
        a.source,
        f.integer(a.reach),
        f.integer(a.count),
      ]), 2);
  }

  section(doc, f.labels.incidents, 60);
  if (figures.incidents.length === 0) note(doc, f.labels.noIncidents);
  else {
    table(doc, [0.19, 0.15, 0.12, 0.27, 0.27], f.labels.incidentColumns, figures.incidents.map((i) => [
      f.dateTime(i.startedAt),
      f.labels.severity[i.severity] ?? i.severity,
      f.integer(i.peakNegative),
      i.timeToAcknowledgeMs === null ? f.labels.notAcknowledged : f.duration(i.timeToAcknowledgeMs),
      i.timeToResolveMs === null ? f.labels.stillOpen : f.duration(i.timeToResolveMs),
    ]), 2);
    note(doc, fill(f.labels.incidentMedians, {
      tta: f.duration(figures.incidentSummary.medianTimeToAcknowledgeMs),
      ttr: f.duration(figures.incidentSummary.medianTimeToResolveMs),
    }));
  }

  quotes(doc, f.labels.negativeQuotes, figures.quotes.negative, f, COLOURS.down);
  quotes(doc, f.labels.positiveQuotes, figures.quotes.positive, f, COLOURS.up);

  doc.end();
  return done;
}

function header(doc: PDFKit.PDFDocument, figures: WeeklyFigures, f: ReportFormat, producedAt: number): void {
  doc.font(BOLD).fontSize(20).fillColor(COLOURS.text).text(f.labels.title, PAGE.margin, PAGE.margin, { width: CONTENT });
  doc.font(FONT).fontSize(11).text(
    fill(f.labels.subtitle, { brand: cleanText(figures.brand, 80), week: figures.week, period: f.period(figures.from, figures.to) }),
    { width: CONTENT },
  );
  doc.fontSize(8).fillColor(COLOURS.muted).text(fill(f.labels.produced, { date: f.dateTime(producedAt), zone: figures.timeZone }), { width: CONTENT });
  doc.moveDown(0.8);
}

/** Three boxes: mentions, net sentiment, negative share, each with its arrow and week-over-week change. */
function summary(doc: PDFKit.PDFDocument, figures: WeeklyFigures, f: ReportFormat): void {
  const top = doc.y;
  const gap = 10;
  const width = (CONTENT - 2 * gap) / 3;
  const boxes: [string, string, Trend, "up-good" | "up-bad" | "neutral"][] = [
    [f.labels.mentions, f.integer(figures.volume.current ?? 0), figures.volume, "neutral"],
    [f.labels.netSentiment, f.signed(figures.netSentiment.current), figures.netSentiment, "up-good"],
    [f.labels.negativeShare, f.percent(figures.negativeShare.current), figures.negativeShare, "up-bad"],
  ];
  boxes.forEach(([label, value, trend, sense], n) => {
    const x = PAGE.margin + n * (width + gap);
    doc.rect(x, top, width, 70).fill(COLOURS.band);
    doc.fillColor(COLOURS.muted).font(FONT).fontSize(9).text(label, x + 10, top + 8, { width: width - 20, lineBreak: false });
    doc.fillColor(COLOURS.text).font(BOLD).fontSize(20).text(value, x + 10, top + 22, { width: width - 20, lineBreak: false });
    const change = f.change(trend);
    const direction = trend.change === null ? 0 : Math.sign(trend.change);
    const colour =
      direction === 0 || sense === "neutral" ? COLOURS.neutral : (direction > 0) === (sense === "up-good") ? COLOURS.up : COLOURS.down;
    doc.font(FONT).fontSize(9).fillColor(change === null ? COLOURS.muted : colour);
    doc.text(
      change === null ? f.labels.noComparison : `${arrow(trend.change ?? 0)} ${change} ${fill(f.labels.versus, { week: figures.previousWeek })}`,
      x + 10,
      top + 50,
      { width: width - 20, lineBreak: false, ellipsis: true },
    );
  });
  doc.fillColor(COLOURS.text);
  doc.x = PAGE.margin;
  doc.y = top + 82;
}

function arrow(change: number): string {
  return change > 0 ? "▲" : change < 0 ? "▼" : "=";
}

/** A section title; starts a new page when less than `needs` points are left below it. */
function section(doc: PDFKit.PDFDocument, title: string, needs: number): void {
  if (doc.y + 24 + needs > PAGE.height - PAGE.margin) doc.addPage();
  doc.x = PAGE.margin;
  doc.moveDown(0.4);
  doc.font(BOLD).fontSize(12).fillColor(COLOURS.text).text(title, PAGE.margin, doc.y, { width: CONTENT });
  const y = doc.y + 2;
  doc.moveTo(PAGE.margin, y).lineTo(PAGE.margin + CONTENT, y).lineWidth(0.5).strokeColor(COLOURS.rule).stroke();
  doc.y = y + 6;
}

function note(doc: PDFKit.PDFDocument, text: string): void {
  doc.font(FONT).fontSize(9).fillColor(COLOURS.muted).text(text, PAGE.margin, doc.y, { width: CONTENT });
  doc.fillColor(COLOURS.text);
  doc.moveDown(0.3);
}

/** A table of one-line cells (clipped with "…"); the first `textColumns` columns left-aligned, the numbers after them right-aligned. */
function table(
  doc: PDFKit.PDFDocument,
  widths: readonly number[],
  headings: readonly string[],
  rows: readonly (readonly string[])[],
  textColumns = 1,
): void {
  const rowHeight = 15;
  const draw = (cells: readonly string[], bold: boolean) => {
    if (doc.y + rowHeight > PAGE.height - PAGE.margin) doc.addPage();
    const y = doc.y;
    let x = PAGE.margin;
    doc.font(bold ? BOLD : FONT).fontSize(9).fillColor(bold ? COLOURS.muted : COLOURS.text);
    cells.forEach((cell, n) => {
      const width = widths[n]! * CONTENT;
      doc.text(cleanText(cell, CELL_CHARS), x + 2, y + 3, {
        width: width - 6,
        align: n < textColumns ? "left" : "right",
        lineBreak: false,
        ellipsis: true,
        height: rowHeight,
      });
      x += width;
    });
    doc.moveTo(PAGE.margin, y + rowHeight).lineTo(PAGE.margin + CONTENT, y + rowHeight).lineWidth(0.3).strokeColor(COLOURS.rule).stroke();
    doc.x = PAGE.margin;
    doc.y = y + rowHeight;
  };
  draw(headings, true);
  for (const row of rows) draw(row, false);
  doc.fillColor(COLOURS.text);
  doc.moveDown(0.3);
}

function quotes(
  doc: PDFKit.PDFDocument,
  title: string,
  set: WeeklyFigures["quotes"]["negative"],
  f: ReportFormat,
  colour: string,
): void {
  section(doc, title, 80);
  if (set.items.length === 0) return note(doc, f.labels.noQuotes);
  note(doc, set.basis === "repeats" ? f.labels.basisRepeats : f.labels.basisReach);
  for (const q of set.items) {
    const text = `“${cleanText(q.text, QUOTE_CHARS)}”`;
    doc.font(FONT).fontSize(10);
    const width = CONTENT - 14;
    const height = doc.heightOfString(text, { width }) + 18;
    if (doc.y + height > PAGE.height - PAGE.margin) doc.addPage();
    const top = doc.y;
    doc.rect(PAGE.margin, top, 3, height - 4).fill(colour);
    doc.fillColor(COLOURS.text).text(text, PAGE.margin + 12, top, { width });
    const meta = [
      q.authorHandle === "" ? null : `@${cleanText(q.authorHandle, 60)}`,
      cleanText(q.source, 40),
      f.date(q.publishedAt),
      set.basis === "repeats" ? fill(f.labels.copies, { n: f.integer(q.copies) }) : null,
      fill(f.labels.reach, { n: f.integer(q.reach) }),
    ].filter((s): s is string => s !== null);
    doc.fontSize(8).fillColor(COLOURS.muted).text(meta.join(" · "), PAGE.margin + 12, doc.y + 2, { width, lineBreak: false, ellipsis: true });
    doc.fillColor(COLOURS.text);
    doc.x = PAGE.margin;
    doc.y = top + height + 4;
  }
}
