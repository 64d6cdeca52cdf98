// The report page's charts: the objective by each hyperparameter, parallel coordinates, learning
// curves and cost over time. Each draws into a section's body from the page data (page-data.ts).
globalThis.SegsweepCharts = (() => {
  const kit = globalThis.SegsweepKit;
  const { COLORS, el, note, plural, widthOf, opacity, withObjective, metricText, canvasMark, withHover, hoverPoints, hpValue } = kit;

  async function byHyperparameter(body, data) {
    const ranked = withObjective(data);
    if (data.hyperparameters.length === 0) return note(body, "Every point has the same hyperparameters.");
    if (ranked.length === 0) return note(body, `No job has reported ${data.objective} yet.`);
    const objective = data.rows.objective;
    const yDomain = d3.extent(ranked, (i) => objective[i]);
    const best = data.best ? data.rows.job.indexOf(data.best.job) : -1;
    const grid = body.appendChild(el("div", "grid"));
    for (const [h, hp] of data.hyperparameters.entries()) {
      // One figure per task: the page keeps answering input between them.
      await kit.nextTask();
      const cell = grid.appendChild(el("figure"));
      const points = ranked.filter((i) => hpValue(data, h, i) !== null);
      const category = hp.kind === "category";
      const xScale = category
        ? { type: "point", domain: hp.values, padding: 0.5 }
        : { type: hp.log ? "log" : "linear", domain: d3.extent(hp.values, Number), nice: true, tickFormat: "~g" };
      const width = widthOf(cell, 360);
      const spread = category ? (0.3 * (width - 90)) / hp.values.length : 0;
      const hover = hoverPoints(points.length, (k) => {
        const i = points[k];
        return `${data.rows.job[i]} · ${hp.name} ${hp.values[data.rows.hp[h][i]]} · ${data.objective} ${metricText(objective[i])}`;
      });
      const dots = canvasMark((context, x, y) => {
        context.fillStyle = COLORS.line;
        context.globalAlpha = opacity(points.length);
        points.forEach((i, k) => {
          hover.px[k] = x(hpValue(data, h, i)) + spread * kit.jitter(i);
          hover.py[k] = y(objective[i]);
          context.beginPath();
          context.arc(hover.px[k], hover.py[k], 2.5, 0, 2 * Math.PI);
          context.fill();
        });
        return points.length;
      });
      const marks = [dots];
      // The best objective reached at each value, where values repeat (grids); random draws would only zigzag.
      if (hp.values.length <= 30) {
        const top = d3
          .rollups(
            points,
            (is) => d3.max(is, (i) => objective[i]),
            (i) => data.rows.hp[h][i],
          )
          .sort((a, b) => a[0] - b[0]);
        marks.push(Plot.line(top, { x: ([index]) => kit.hpValueAt(hp, index), y: ([, y]) => y, stroke: COLORS.best, strokeWidth: 1.5 }));
      }
      if (best >= 0 && hpValue(data, h, best) !== null) {
        const dx = spread * kit.jitter(best);
        marks.push(
          Plot.dot([best], { x: (i) => hpValue(data, h, i), y: (i) => objective[i], dx, r: 5, stroke: COLORS.ring, strokeWidth: 2 }),
        );
      }
      const figure = Plot.plot({
        width,
        height: 240,
        marginLeft: 50,
        marginBottom: 40,
        x: { ...xScale, label: hp.name },
        y: { domain: yDomain, nice: true, label: data.objective, grid: true },
        marks,
      });
      cell.append(withHover(figure, hover));
    }
    note(
      body,
      "Dots: points that reported the objective (hover for the job). Line: the best objective at each value. Ring: the best point.",
    );
  }

  /** Where each row sits on each axis of the parallel coordinates, from 0 (bottom) to 1 (top), and the axis's labels. */
  function axisOf(data, axis) {
    const format = d3.format("~g");
    if (axis.objective) {
      const [lo, hi] = d3.extent(axis.rows, (i) => data.rows.objective[i]);
      const scale = d3.scaleLinear().domain(lo === hi ? [lo - 1, hi + 1] : [lo, hi]);
      return { at: (i) => scale(data.rows.objective[i]), ticks: scale.ticks(5).map((t) => [scale(t), format(t)]) };
    }
    const { hp, index } = axis;
    const n = hp.values.length;
    if (hp.kind === "number" && n > 8) {
      const numbers = hp.values.map(Number);
      const scale = (hp.log ? d3.scaleLog() : d3.scaleLinear()).domain([numbers[0], numbers[n - 1]]);
      // A log scale's ticks hold every 1-9 multiple; its tickFormat leaves all but a few unlabelled.
      const label = hp.log ? scale.tickFormat(4, "~g") : format;
      const ticks = scale.ticks(hp.log ? 4 : 5).flatMap((t) => (label(t) === "" ? [] : [[scale(t), label(t)]]));
      return { at: (i) => (index[i] < 0 ? null : scale(numbers[index[i]])), ticks };
    }
    const position = (k) => (n === 1 ? 0.5 : k / (n - 1));
    const step = Math.ceil(n / 12);
    return {
      at: (i) => (index[i] < 0 ? null : position(index[i])),
      ticks: hp.values.flatMap((v, k) => (k % step === 0 ? [[position(k), v]] : [])),
    };
  }

  function parallel(body, data) {
    const ranked = withObjective(data);
    if (ranked.length === 0) return note(body, `No job has reported ${data.objective} yet.`);
    const axes = data.hyperparameters.map((hp, h) => ({ name: hp.name, hp, index: data.rows.hp[h] }));
    axes.push({ name: data.objective, objective: true, rows: ranked });
    const placed = axes.map((axis) => axisOf(data, axis));
    // Worst first, so the best lines are drawn on top.
    const order = ranked.slice().sort((a, b) => data.rows.objective[a] - data.rows.objective[b]);
    const [lo, hi] = d3.extent(ranked, (i) => data.rows.objective[i]);
    const color = d3.scaleSequential(d3.interpolateViridis).domain(lo === hi ? [lo - 1, hi + 1] : [lo, hi]);
    const hover = hoverPoints(order.length * axes.length, (k) => {
      const i = order[Math.floor(k / axes.length)];
      return `${data.rows.job[i]} · ${data.objective} ${metricText(data.rows.objective[i])}`;
    });
    const lines = canvasMark((context, x, y) => {
      context.globalAlpha = opacity(order.length);
      order.forEach((i, n) => {
        context.strokeStyle = color(data.rows.objective[i]);
        context.beginPath();
        axes.forEach((axis, a) => {
          const at = placed[a].at(i);
          const k = n * axes.length + a;
          hover.px[k] = at === null ? Number.NaN : x(axis.name);
          hover.py[k] = at === null ? Number.NaN : y(at);
          if (at !== null) context.lineTo(hover.px[k], hover.py[k]);
        });
        context.stroke();
      });
      return order.length;
    });
    const ticks = placed.flatMap((axis, a) => axis.ticks.map(([y, label]) => ({ x: axes[a].name, y, label })));
    body.append(Plot.legend({ color: { type: "linear", scheme: "viridis", domain: color.domain(), label: data.objective } }));
    const figure = Plot.plot({
      width: widthOf(body, 1200),
      height: 380,
      marginTop: 40,
      marginRight: 80,
      x: { type: "point", domain: axes.map((axis) => axis.name), axis: "top", label: null, padding: 0.1 },
      // A little room above and below, so the labels at the ends of each axis stay inside.
      y: { domain: [-0.04, 1.04], axis: null },
      marks: [
        Plot.ruleX(
          axes.map((axis) => axis.name),
          { stroke: "#8c959f" },
        ),
        lines,
        Plot.text(ticks, {
          x: "x",
          y: "y",
          text: "label",
          textAnchor: "start",
          dx: 5,
          fill: "currentColor",
          stroke: "white",
          strokeWidth: 3,
        }),
      ],
    });
    body.append(withHover(figure, hover));
    const left = data.rows.job.length - ranked.length;
    const missing = left > 0 ? ` ${plural(left, "point")} without it (running, failed or stopped before reporting it) not drawn.` : "";
    note(body, `One line per point, coloured by ${data.objective}; hover for the job.${missing}`);
  }

  return { byHyperparameter, parallel };
})();
