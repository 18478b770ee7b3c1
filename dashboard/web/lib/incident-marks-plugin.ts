/**
 * A uPlot plugin that draws incident markers over a time chart: a dashed line
 * where an incident started, a solid one where it was acknowledged, a dotted
 * one where it was resolved, each with a small flag on top. The marks are read
 * at every redraw from `marks()`, so new marks need only `u.redraw(false)`.
 * Plugin and hook shapes: uPlot's README, "Plugins & Hooks"
 * (https://github.com/leeoniya/uPlot/tree/master/docs#hooks).
 */
import type uPlot from "uplot";
import type { IncidentMark, MarkKind } from "./chart-data";

export interface MarkStyle {
  color: string;
  dash: number[];
}

export function incidentMarksPlugin(marks: () => readonly IncidentMark[], styles: Record<MarkKind, MarkStyle>): uPlot.Plugin {
  return {
    hooks: {
      draw: (u: uPlot) => {
        const { ctx, bbox } = u;
        const ratio = typeof devicePixelRatio === "number" ? devicePixelRatio : 1;
        ctx.save();
        for (const mark of marks()) {
          const x = Math.round(u.valToPos(mark.at, "x", true));
          if (x < bbox.left || x > bbox.left + bbox.width) continue;
          const style = styles[mark.kind];
          ctx.strokeStyle = style.color;
          ctx.fillStyle = style.color;
          ctx.lineWidth = 2 * ratio;
          ctx.setLineDash(style.dash.map((d) => d * ratio));
          ctx.beginPath();
          ctx.moveTo(x, bbox.top);
          ctx.lineTo(x, bbox.top + bbox.height);
          ctx.stroke();
          // The flag: a small triangle pointing down at the top of the line.
          const s = 5 * ratio;
          ctx.setLineDash([]);
          ctx.beginPath();
          ctx.moveTo(x - s, bbox.top);
          ctx.lineTo(x + s, bbox.top);
          ctx.lineTo(x, bbox.top + 1.4 * s);
          ctx.closePath();
          ctx.fill();
        }
        ctx.restore();
      },
    },
  };
}
