// The report page's script: the leaderboard and the failures (this file), the charts (charts.js, curves.js).
// It reads the report from #report-data and only ever sets text (textContent, Plot's text marks):
// job names, hyperparameter values and failure reasons are data, never markup.
(() => {
  const data = JSON.parse(document.getElementById("report-data").textContent);
  const rows = data.rows;
  const PAGE_SIZE = 25;

  /** An element with optional class and text. */
  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  const metricTitle = (name) => name.replace(/^validation:/, "");
  const sim = data.simulated ? "*" : "";

  /** The leaderboard's columns: title, numeric, shown text and sort key of row i. */
  function columns() {
    const nullsLast = (values) => (i) => values[i];
    const list = [
      { title: "#", num: true, text: (i) => String(i + 1), key: (i) => i },
      { title: "job", text: (i) => rows.job[i], key: nullsLast(rows.job) },
      { title: "state", text: stateText, key: (i) => stateText(i) },
      { title: metricTitle(data.objective) + sim, num: true, desc: true, text: (i) => rows.text[i][0], key: nullsLast(rows.objective) },
      { title: metricTitle(data.otherMetric) + sim, num: true, desc: true, text: (i) => rows.text[i][1], key: nullsLast(rows.other) },
      { title: `billable${sim}`, num: true, text: (i) => rows.text[i][2], key: nullsLast(rows.billable) },
      { title: `cost${sim}`, num: true, text: (i) => rows.text[i][3], key: nullsLast(rows.cost) },
      { title: "attempts", num: true, text: (i) => String(rows.attempts[i]), key: nullsLast(rows.attempts) },
    ];
    data.hyperparameters.forEach((hp, h) => {
      const index = rows.hp[h];
      list.push({
        title: hp.name,
        num: hp.kind === "number",
        text: (i) => (index[i] < 0 ? "-" : hp.values[index[i]]),
        // Values are sorted (numerically for numbers), so their index orders them.
        key: (i) => (index[i] < 0 ? null : index[i]),
      });
    });
    return list;
  }

  function stateText(i) {
    return rows.terminated[i] < 0 ? rows.state[i] : "stopped early (campaign)";
  }

  /** Indexes of rows sorted by a column; rows without a value stay last in both directions. */
  function sortedIndexes(column, descending) {
    const keyed = rows.job.map((_, i) => [column.key(i), i]);
    keyed.sort((a, b) => {
      if (a[0] === null || b[0] === null) return a[0] === b[0] ? a[1] - b[1] : a[0] === null ? 1 : -1;
      const order = a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0;
      return (descending ? -order : order) || a[1] - b[1];
    });
    return keyed.map((entry) => entry[1]);
  }

  function drawLeaderboard(body) {
    if (rows.job.length === 0) {
      body.append(el("p", "note", "No training job of this campaign exists yet: run segsweep launch first."));
      return;
    }
    const cols = columns();
    const state = { column: 0, descending: false, order: rows.job.map((_, i) => i), filter: "", page: 0 };
    const table = el("table");
    table.id = "leaderboard-table";
    const heads = headerCells(cols, state, () => update());
    table.appendChild(el("thead")).append(...heads);
    const tbody = table.appendChild(el("tbody"));
    const pager = pagerControls(state, () => update());
    body.append(pager.node, el("div", "table-scroll"));
    body.lastChild.append(table);
    if (data.best) {
      const details = body.appendChild(el("details"));
      details.append(el("summary", "", `Best point (${data.best.job}) as a sweep-file snippet`), el("pre", "", data.best.snippet));
    }
    const matches = (i) => state.filter === "" || cols.some((column) => column.text(i).toLowerCase().includes(state.filter));
    function update() {
      const shown = state.order.filter(matches);
      const pages = Math.max(1, Math.ceil(shown.length / PAGE_SIZE));
      state.page = Math.min(state.page, pages - 1);
      const first = state.page * PAGE_SIZE;
      const slice = shown.slice(first, first + PAGE_SIZE);
      tbody.replaceChildren(...slice.map((i) => tableRow(cols, i)));
      heads.forEach((th, c) => {
        if (c === state.column) th.setAttribute("aria-sort", state.descending ? "descending" : "ascending");
        else th.removeAttribute("aria-sort");
      });
      const count = shown.length.toLocaleString("en-US");
      pager.position.textContent = shown.length === 0 ? "no row matches" : `rows ${first + 1}–${first + slice.length} of ${count}`;
      pager.previous.disabled = state.page === 0;
      pager.next.disabled = state.page >= pages - 1;
    }
    update();
  }

  /** The column headers: a click sorts by the column, a second click reverses. */
  function headerCells(cols, state, update) {
    return cols.map((column, c) => {
      const th = el("th", column.num ? "num" : "");
      th.setAttribute("scope", "col");
      const button = th.appendChild(el("button", "", column.title));
      button.addEventListener("click", () => {
        state.descending = state.column === c ? !state.descending : Boolean(column.desc);
        state.column = c;
        state.order = sortedIndexes(column, state.descending);
        state.page = 0;
        update();
      });
      return th;
    });
  }

  /** The filter box and the page buttons above the table. */
  function pagerControls(state, update) {
    const node = el("div", "controls");
    const filter = node.appendChild(el("input"));
    filter.type = "search";
    filter.placeholder = "filter: job, state or value";
    filter.setAttribute("aria-label", "Filter the leaderboard");
    const previous = node.appendChild(el("button", "", "◀ previous"));
    const next = node.appendChild(el("button", "", "next ▶"));
    const position = node.appendChild(el("span", "position"));
    const on = (target, event, change) =>
      target.addEventListener(event, () => {
        change();
        update();
      });
    on(filter, "input", () => {
      state.filter = filter.value.trim().toLowerCase();
      state.page = 0;
    });
    on(previous, "click", () => state.page--);
    on(next, "click", () => state.page++);
    return { node, previous, next, position };
  }

  function tableRow(cols, i) {
    const tr = el("tr", rows.terminated[i] >= 0 ? "terminated" : data.best && rows.job[i] === data.best.job ? "best" : "");
    for (const column of cols) {
      const td = el("td", column.num ? "num" : column.title === "state" ? "state" : "", column.text(i));
      if (column.title === "state" && rows.terminated[i] >= 0) td.title = rows.terminationReasons[rows.terminated[i]];
      tr.append(td);
    }
    return tr;
  }

  function drawFailures(body) {
    if (data.failures.length === 0) {
      body.append(el("p", "note", "No job failed."));
      return;
    }
    const table = el("table");
    table.id = "failures-table";
    const head = el("tr");
    for (const title of ["jobs", "", "reason (first line of FailureReason)", "example job", "retried"]) head.append(el("th", "", title));
    table.appendChild(el("thead")).append(head);
    const tbody = table.appendChild(el("tbody"));
    const most = Math.max(...data.failures.map((failure) => failure.count));
    for (const failure of data.failures) {
      const tr = el("tr");
      const bar = el("span", "bar");
      bar.style.width = `${Math.max(2, Math.round((80 * failure.count) / most))}px`;
      const barCell = el("td");
      barCell.append(bar);
      tr.append(el("td", "num", String(failure.count)), barCell, el("td", "reason", failure.reason));
      tr.append(el("td", "", failure.exampleJob), el("td", "num", String(failure.retried)));
      tbody.append(tr);
    }
    body.append(table);
  }

  const { byHyperparameter, parallel } = globalThis.SegsweepCharts;
  const { curves, cost } = globalThis.SegsweepCurves;
  const sections = [
    ["leaderboard", drawLeaderboard],
    ["by-hyperparameter", (body) => byHyperparameter(body, data)],
    ["parallel", (body) => parallel(body, data)],
    ["curves", (body) => curves(body, data)],
    ["cost", (body) => cost(body, data)],
    ["failures", drawFailures],
  ];

  // One section per task, the leaderboard first: the page can be read and scrolled while the
  // rest is drawn. The time from navigation to the last section is kept for the benchmark.
  async function drawAll() {
    const took = {};
    for (const [id, draw] of sections) {
      const body = document.querySelector(`#${id} .body`);
      const started = performance.now();
      try {
        await draw(body);
      } catch (error) {
        body.append(el("p", "note", `This part could not be drawn: ${error?.message}`));
        console.error(error);
      }
      took[id] = Math.round(performance.now() - started);
      await globalThis.SegsweepKit.nextTask();
    }
    document.documentElement.dataset.sectionsMs = JSON.stringify(took);
    document.documentElement.dataset.renderedMs = String(Math.round(performance.now()));
  }
  drawAll();
})();
