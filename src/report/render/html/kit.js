// Helpers of the report page's charts (charts.js). Observable Plot (global `Plot`, on the global
// `d3`) draws the scales, axes, grids, labels and small marks as SVG; the dense marks (thousands
// of dots and lines) are drawn on a canvas inside the same SVG, because 5,000 SVG lines cost
// seconds to build and a canvas milliseconds. Text is only ever set as text (textContent).
globalThis.SegsweepKit = (() => {
  const COLORS = { line: "#4e79a7", terminated: "#d9480f", best: "#111111", ring: "#cf222e" };
  const SVG_NS = "http://www.w3.org/2000/svg";

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  const note = (body, text) => body.append(el("p", "note", text));
  const plural = (count, noun) => `${count.toLocaleString("en-US")} ${noun}${count === 1 ? "" : "s"}`;
  const widthOf = (node, fallback) => Math.max(320, Math.floor(node.clientWidth || fallback));
  /** Marks fade as they get many, so 5,000 of them still show where most of them lie. */
  const opacity = (count) => Math.min(0.8, Math.max(0.03, 5 / Math.sqrt(count)));
  const withObjective = (data) => data.rows.objective.flatMap((value, i) => (value === null ? [] : [i]));
  const metricText = (value) => value.toFixed(4);

  /**
   * A Plot mark drawn on a canvas covering the plot: `draw(context, x, y)` gets Plot's scales and
   * returns how many marks it drew (kept in the canvas's data-marks, which the browser test reads).
   */
  function canvasMark(draw) {
    return (_index, scales, _values, dimensions) => {
      const { width, height } = dimensions;
      const ratio = window.devicePixelRatio || 1;
      const canvas = document.createElement("canvas");
      canvas.width = Math.round(width * ratio);
      canvas.height = Math.round(height * ratio);
      canvas.style.width = `${width}px`;
      canvas.style.height = `${height}px`;
      const context = canvas.getContext("2d");
      context.scale(ratio, ratio);
      canvas.dataset.marks = String(draw(context, scales.x, scales.y));
      const object = document.createElementNS(SVG_NS, "foreignObject");
      object.setAttribute("width", String(width));
      object.setAttribute("height", String(height));
      object.append(canvas);
      return object;
    };
  }

  /**
   * Wraps a figure so that hovering shows the label of the nearest drawn point (px, py in the
   * plot's pixels, filled in by the canvas marks as they draw).
   */
  function withHover(figure, hover) {
    const wrapper = el("div", "hover-host");
    const tip = el("div", "hover-tip");
    tip.hidden = true;
    wrapper.append(figure, tip);
    const svg = figure.tagName === "svg" ? figure : figure.querySelector("svg");
    let pending = null;
    svg.addEventListener("pointermove", (event) => {
      pending = event;
      requestAnimationFrame(() => {
        if (pending === null) return;
        const box = svg.getBoundingClientRect();
        const mx = pending.clientX - box.left;
        const my = pending.clientY - box.top;
        pending = null;
        let nearest = -1;
        let best = 400; // within 20 px
        for (let k = 0; k < hover.count; k++) {
          const d = (hover.px[k] - mx) ** 2 + (hover.py[k] - my) ** 2;
          if (d < best) {
            best = d;
            nearest = k;
          }
        }
        tip.hidden = nearest < 0;
        if (nearest < 0) return;
        tip.textContent = hover.label(nearest);
        tip.style.left = `${svg.offsetLeft + hover.px[nearest] + 10}px`;
        tip.style.top = `${svg.offsetTop + hover.py[nearest] + 10}px`;
      });
    });
    svg.addEventListener("pointerleave", () => {
      pending = null;
      tip.hidden = true;
    });
    return wrapper;
  }

  /** Resolves in a later task, so that input and painting can happen in between. */
  const nextTask = () => new Promise((resolve) => setTimeout(resolve, 0));

  /** Room for `count` hovered points. */
  const hoverPoints = (count, label) => ({ px: new Float32Array(count), py: new Float32Array(count), count, label });

  /** Value `index` of a hyperparameter, as a chart's x: a number, or the category itself. */
  const hpValueAt = (hp, index) => (hp.kind === "number" ? Number(hp.values[index]) : hp.values[index]);

  /** Row i's value of hyperparameter h, as a chart's x; null when absent. */
  function hpValue(data, h, i) {
    const index = data.rows.hp[h][i];
    return index < 0 ? null : hpValueAt(data.hyperparameters[h], index);
  }

  /** A spread in [-0.5, 0.5) that depends only on the row, so dots in one category do not pile on one line. */
  const jitter = (i) => ((i * 2654435761) >>> 0) / 4294967296 - 0.5;

  return {
    el,
    note,
    plural,
    widthOf,
    opacity,
    withObjective,
    metricText,
    canvasMark,
    withHover,
    hoverPoints,
    hpValueAt,
    hpValue,
    jitter,
    nextTask,
    COLORS,
  };
})();
