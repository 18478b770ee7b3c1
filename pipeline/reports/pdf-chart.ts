import type { ReportDayCount } from "../store/report-queries";
import type { ReportFormat } from "./report-format";

/**
 * The daily chart drawn with PDFKit's vector primitives (rect, moveTo/lineTo,
 * fill/stroke; https://pdfkit.org/docs/vector.html): one bar per day for all
 * mentions with the negative ones as a red bar in front, a value above each
 * bar and the weekday under it. Vectors stay sharp when printed.
 */

export const CHART_COLOURS = { all: "#90caf9", negative: "#e53935", grid: "#d0d0d0", axis: "#555555", text: "#333333" } as const;

export interface ChartBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

export function drawDailyChart(doc: PDFKit.PDFDocument, days: readonly ReportDayCount[], box: ChartBox, f: ReportFormat, font: string): void {
  const axisWidth = 34;
  const labelHeight = 14;
  const legendHeight = 14;
  const plot = {
    x: box.x + axisWidth,
    y: box.y + legendHeight + 10,
    width: box.width - axisWidth,
    height: box.height - legendHeight - 10 - labelHeight - 4,
  };
  const step = niceStep(Math.max(...days.map((d) => d.total), 1) / 4);
  const top = 4 * step;
  const yOf = (value: number) => plot.y + plot.height - (value / top) * plot.height;

  // legend
  doc.font(font).fontSize(8);
  let lx = plot.x;
  for (const [colour, label] of [
    [CHART_COLOURS.all, f.labels.all],
    [CHART_COLOURS.negative, f.labels.negative],
  ] as const) {
    doc.rect(lx, box.y + 2, 8, 8).fill(colour);
    doc.fillColor(CHART_COLOURS.text).text(label, lx + 11, box.y + 1, { lineBreak: false });
    lx += 11 + doc.widthOfString(label) + 14;
  }

  // grid and axis labels: four whole steps
  for (let i = 0; i <= 4; i++) {
    const value = step * i;
    const y = yOf(value);
    doc.moveTo(plot.x, y).lineTo(plot.x + plot.width, y).lineWidth(0.5).strokeColor(CHART_COLOURS.grid).stroke();
    doc.fillColor(CHART_COLOURS.axis).fontSize(7).text(f.integer(value), box.x, y - 4, { width: axisWidth - 4, align: "right", lineBreak: false });
  }

  const slot = plot.width / Math.max(1, days.length);
  const barWidth = slot * 0.55;
  days.forEach((d, i) => {
    const x = plot.x + i * slot + (slot - barWidth) / 2;
    if (d.total > 0) doc.rect(x, yOf(d.total), barWidth, plot.y + plot.height - yOf(d.total)).fill(CHART_COLOURS.all);
    if (d.negative > 0) {
      const inset = barWidth * 0.2;
      doc.rect(x + inset, yOf(d.negative), barWidth - 2 * inset, plot.y + plot.height - yOf(d.negative)).fill(CHART_COLOURS.negative);
    }
    doc.fillColor(CHART_COLOURS.text).fontSize(7);
    doc.text(f.integer(d.total), plot.x + i * slot, yOf(d.total) - 10, { width: slot, align: "center", lineBreak: false });
    doc.fontSize(8).text(f.weekday(d.day), plot.x + i * slot, plot.y + plot.height + 4, { width: slot, align: "center", lineBreak: false });
  });
  doc.moveTo(plot.x, plot.y + plot.height).lineTo(plot.x + plot.width, plot.y + plot.height).lineWidth(1).strokeColor(CHART_COLOURS.axis).stroke();
  doc.fillColor("black").strokeColor("black").lineWidth(1);
}

/** The smallest whole 1, 2 or 5 × 10ⁿ at or above `n`, so the grid lines fall on round numbers. */
export function niceStep(n: number): number {
  const magnitude = 10 ** Math.max(0, Math.floor(Math.log10(Math.max(n, 1))));
  for (const step of [1, 2, 5, 10]) if (step * magnitude >= n) return step * magnitude;
  return 10 * magnitude;
}
