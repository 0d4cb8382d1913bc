// Charts drawn as SVG by the page itself: vertical bars for series over days or bins, and
// horizontal bars for rates and per-expert values. Each carries a <title> and a caption
// that says the numbers in words.
import { h, svg } from "/ops/dom.js";

const WIDTH = 640;
const HEIGHT = 220;
const PAD = { top: 12, right: 8, bottom: 40, left: 40 };

let chartCount = 0;

function figure(title, caption, drawing) {
  chartCount += 1;
  const titleID = `chart-title-${chartCount}`;
  drawing.setAttribute("role", "img");
  drawing.setAttribute("aria-labelledby", titleID);
  drawing.prepend(svg("title", { id: titleID }, `${title}: ${caption}`));
  return h("figure", { class: "chart" }, h("h3", {}, title), drawing, h("figcaption", {}, caption));
}

/** Vertical bars: `labels[i]` under a bar of height `values[i]`. */
export function bars(title, labels, values, caption) {
  const max = Math.max(1, ...values);
  const innerWidth = WIDTH - PAD.left - PAD.right;
  const innerHeight = HEIGHT - PAD.top - PAD.bottom;
  const step = innerWidth / Math.max(1, values.length);
  const drawing = svg("svg", { viewBox: `0 0 ${WIDTH} ${HEIGHT}`, class: "bars", preserveAspectRatio: "xMidYMid meet" });
  for (const tick of [0, Math.ceil(max / 2), max]) {
    const y = PAD.top + innerHeight - (tick / max) * innerHeight;
    drawing.append(svg("line", { x1: PAD.left, x2: WIDTH - PAD.right, y1: y, y2: y, class: "grid" }),
      svg("text", { x: PAD.left - 6, y: y + 4, "text-anchor": "end", class: "axis" }, tick));
  }
  const labelEvery = Math.max(1, Math.ceil(values.length / 12));
  values.forEach((value, index) => {
    const height = (value / max) * innerHeight;
    const x = PAD.left + index * step + step * 0.15;
    drawing.append(svg("rect", { x, y: PAD.top + innerHeight - height, width: Math.max(1, step * 0.7), height,
      class: "bar" }, svg("title", {}, `${labels[index]}: ${value}`)));
    if (index % labelEvery === 0) {
      drawing.append(svg("text", { x: x + step * 0.35, y: HEIGHT - PAD.bottom + 16, "text-anchor": "middle",
        class: "axis" }, labels[index]));
    }
  });
  return figure(title, caption, drawing);
}

/** Horizontal bars for values in [0, max] (rates: max 1, shown as percent). */
export function meters(title, rows, { max = 1, percent = true } = {}, caption = "") {
  const rowHeight = 30;
  const labelWidth = 180;
  const height = rows.length * rowHeight + 10;
  const drawing = svg("svg", { viewBox: `0 0 ${WIDTH} ${height}`, class: "meters" });
  const scale = (WIDTH - labelWidth - 70) / Math.max(max, 1e-9);
  rows.forEach(([label, value], index) => {
    const y = 5 + index * rowHeight;
    const text = percent ? `${(value * 100).toFixed(1)} %` : Number(value).toFixed(2);
    drawing.append(
      svg("text", { x: labelWidth - 8, y: y + 18, "text-anchor": "end", class: "axis" }, label),
      svg("rect", { x: labelWidth, y: y + 4, width: WIDTH - labelWidth - 70, height: rowHeight - 10, class: "track" }),
      svg("rect", { x: labelWidth, y: y + 4, width: Math.max(0, value * scale), height: rowHeight - 10, class: "bar" }),
      svg("text", { x: WIDTH - 62, y: y + 18, class: "axis" }, text));
  });
  const words = caption || rows.map(([label, value]) => `${label} ${percent ? `${(value * 100).toFixed(1)} %` : Number(value).toFixed(2)}`).join(", ");
  return figure(title, words, drawing);
}
