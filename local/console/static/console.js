// The local console's page. Every value that came from an order or an execution is written
// with textContent or as an SVG text node's data, never parsed as HTML.

const SVG = 'http://www.w3.org/2000/svg';
const state = { definition: null, layout: null, selected: null, selectedState: null, detail: null };

function el(tag, attrs = {}, text) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined) node.setAttribute(k, String(v));
  if (text !== undefined) node.textContent = String(text);
  return node;
}

function svg(tag, attrs = {}, text) {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined) node.setAttribute(k, String(v));
  if (text !== undefined) node.textContent = String(text);
  return node;
}

async function getJson(path, init) {
  const res = await fetch(path, init);
  const body = await res.json();
  if (!res.ok) throw new Error(body.message || `HTTP ${res.status}`);
  return body;
}

function pretty(text) {
  if (text === undefined || text === null) return '';
  try {
    return JSON.stringify(typeof text === 'string' ? JSON.parse(text) : text, null, 2);
  } catch {
    return String(text);
  }
}

function duration(ms) {
  if (ms === undefined || ms === null) return '';
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(2)} s`;
}

// ---- the graph, from the deployed ASL definition -------------------------------------

/** Nodes and edges of a definition: Parallel branches inline, each Parallel with a join node. */
function graphModel(definition) {
  const nodes = [];
  const edges = [];
  const branches = [];
  const walk = (states, startAt, entryFrom, exitTo) => {
    edges.push({ from: entryFrom, to: startAt, kind: 'next' });
    for (const [name, s] of Object.entries(states)) {
      nodes.push({ id: name, label: name, type: s.Type });
      const after = s.Type === 'Parallel' ? `${name}#join` : name;
      if (s.Type === 'Parallel') {
        nodes.push({ id: after, label: '', type: 'Join' });
        s.Branches.forEach((b, i) => {
          branches.push({ parallel: name, index: i, states: Object.keys(b.States) });
          walk(b.States, b.StartAt, name, after);
        });
      }
      if (s.Next) edges.push({ from: after, to: s.Next, kind: 'next' });
      if (s.Default) edges.push({ from: after, to: s.Default, kind: 'next' });
      for (const c of s.Choices || []) edges.push({ from: after, to: c.Next, kind: 'next' });
      for (const c of s.Catch || []) edges.push({ from: after, to: c.Next, kind: 'catch', label: c.ErrorEquals.join(', ') });
      if (s.End || s.Type === 'Succeed' || s.Type === 'Fail') edges.push({ from: after, to: exitTo, kind: 'next' });
    }
  };
  nodes.push({ id: '#start', label: 'Start', type: 'Terminal' }, { id: '#end', label: 'End', type: 'Terminal' });
  walk(definition.States, definition.StartAt, '#start', '#end');
  return { nodes, edges, branches };
}

function layoutGraph(model) {
  const g = new window.dagre.graphlib.Graph({ multigraph: true });
  g.setGraph({ rankdir: 'TB', nodesep: 28, ranksep: 34, marginx: 16, marginy: 16 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const n of model.nodes) {
    const small = n.type === 'Terminal' || n.type === 'Join';
    g.setNode(n.id, { width: small ? 18 : Math.max(120, n.label.length * 7.4 + 24), height: small ? 18 : 38 });
  }
  model.edges.forEach((e, i) => {
    g.setEdge(e.from, e.to, { width: e.label ? e.label.length * 5 : 0, height: e.label ? 12 : 0 }, `e${i}`);
  });
  window.dagre.layout(g);
  return g;
}

/**
 * What the events say about each state: visited, attempts, caught, failed, running, timings,
 * input and output. A state's own events chain through previousEventId (Parallel branches interleave).
 */
function statePath(events) {
  const info = new Map();
  const stateOfEvent = new Map();
  const get = (name) => {
    if (!info.has(name)) info.set(name, { attempts: 0, failures: 0, errors: [] });
    return info.get(name);
  };
  for (const e of events) {
    const entered = e.stateEnteredEventDetails;
    const name = entered ? entered.name : stateOfEvent.get(e.previousEventId);
    if (name !== undefined) stateOfEvent.set(e.id, name);
    const s = name === undefined ? undefined : get(name);
    if (entered) {
      s.visited = true;
      s.running = true;
      s.enteredAt = s.enteredAt ?? e.timestamp;
      s.input = entered.input;
    }
    if (s && e.type === 'TaskScheduled') s.attempts += 1;
    const failed = e.taskFailedEventDetails || e.taskTimedOutEventDetails || e.parallelStateFailedEventDetails;
    if (s && failed) {
      s.failures += 1;
      s.errors.push(failed.error);
      s.lastFailed = true;
    }
    if (s && (e.type === 'TaskSucceeded' || e.type === 'ParallelStateSucceeded')) s.lastFailed = false;
    if (s && e.stateExitedEventDetails) {
      s.running = false;
      s.exitedAt = e.timestamp;
      s.output = e.stateExitedEventDetails.output;
      if (s.lastFailed) s.caught = true;
    }
    if (e.type === 'ExecutionFailed' || e.type === 'ExecutionTimedOut' || e.type === 'ExecutionAborted') {
      for (const open of info.values()) {
        if (open.running) {
          open.running = false;
          open.failed = true;
        }
      }
    }
  }
  return info;
}

function drawGraph(detail) {
  const root = document.getElementById('graph');
  root.replaceChildren();
  if (!state.layout) return;
  const { g, model } = state.layout;
  const info = detail ? statePath(detail.events) : new Map();
  const graph = g.graph();
  root.setAttribute('width', graph.width);
  root.setAttribute('height', graph.height);
  root.setAttribute('viewBox', `0 0 ${graph.width} ${graph.height}`);
  // Parallel branches: a dashed frame around each branch's states.
  for (const b of model.branches) {
    const boxes = b.states.map((id) => g.node(id));
    const x1 = Math.min(...boxes.map((n) => n.x - n.width / 2)) - 8;
    const y1 = Math.min(...boxes.map((n) => n.y - n.height / 2)) - 8;
    const x2 = Math.max(...boxes.map((n) => n.x + n.width / 2)) + 8;
    const y2 = Math.max(...boxes.map((n) => n.y + n.height / 2)) + 8;
    root.append(svg('rect', { class: 'branch', x: x1, y: y1, width: x2 - x1, height: y2 - y1, rx: 8 }));
  }
  const visited = (id) =>
    id === '#start' || info.get(id.replace(/#join$/, ''))?.visited || (id === '#end' && detail?.execution.status === 'SUCCEEDED');
  model.edges.forEach((e, i) => {
    const edge = g.edge({ v: e.from, w: e.to, name: `e${i}` });
    const from = info.get(e.from.replace(/#join$/, ''));
    const taken = visited(e.from) && visited(e.to) && (e.kind === 'catch' ? Boolean(from?.caught) : !from?.caught || e.to === '#end');
    const group = svg('g', { class: `edge ${e.kind}${taken ? ' taken' : ''}`, 'data-from': e.from, 'data-to': e.to });
    const d = edge.points.map((p, j) => `${j === 0 ? 'M' : 'L'}${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(' ');
    group.append(svg('path', { d }));
    if (e.label && edge.x !== undefined) group.append(svg('text', { x: edge.x, y: edge.y, 'text-anchor': 'middle' }, e.label));
    root.append(group);
  });
  for (const n of model.nodes) {
    const pos = g.node(n.id);
    if (n.type === 'Terminal' || n.type === 'Join') {
      const t = svg('g', { class: 'terminal' });
      t.append(svg('circle', { cx: pos.x, cy: pos.y, r: n.type === 'Join' ? 4 : 7 }));
      if (n.type === 'Terminal') t.append(svg('text', { x: pos.x + 12, y: pos.y + 4, 'font-size': 11 }, n.label));
      root.append(t);
      continue;
    }
    const s = info.get(n.id);
    const classes = ['state'];
    if (s?.visited) classes.push('visited');
    if (s && s.attempts > 1) classes.push('retried');
    if (s?.caught) classes.push('caught');
    if (s?.failed) classes.push('failed');
    if (s?.running && detail?.execution.status === 'RUNNING') classes.push('running');
    if (state.selectedState === n.id) classes.push('selected');
    const group = svg('g', { class: classes.join(' '), 'data-state': n.id, tabindex: 0, role: 'button' });
    group.append(svg('rect', { x: pos.x - pos.width / 2, y: pos.y - pos.height / 2, width: pos.width, height: pos.height }));
    group.append(svg('text', { x: pos.x, y: pos.y - 2, 'text-anchor': 'middle' }, n.label));
    const notes = [];
    if (s?.enteredAt !== undefined && s.exitedAt !== undefined) notes.push(duration(s.exitedAt - s.enteredAt));
    if (s && s.attempts > 1) notes.push(`↻ ${s.attempts - 1} retr${s.attempts === 2 ? 'y' : 'ies'}`);
    if (s?.caught) notes.push('caught');
    group.append(svg('text', { x: pos.x, y: pos.y + 12, 'text-anchor': 'middle', class: 'badge' }, notes.join(' · ')));
    group.addEventListener('click', () => selectState(n.id));
    group.addEventListener('keydown', (ev) => ev.key === 'Enter' && selectState(n.id));
    root.append(group);
  }
}

function selectState(name) {
  state.selectedState = name;
  const s = state.detail ? statePath(state.detail.events).get(name) : undefined;
  document.getElementById('state-title').textContent = name;
  const parts = [];
  if (!s) parts.push('not reached');
  else {
    if (s.enteredAt !== undefined && s.exitedAt !== undefined) parts.push(`took ${duration(s.exitedAt - s.enteredAt)}`);
    if (s.attempts) parts.push(`${s.attempts} attempt(s)`);
    if (s.errors.length) parts.push(`errors: ${s.errors.join(', ')}`);
    if (s.caught) parts.push('failure caught');
  }
  document.getElementById('state-summary').textContent = parts.join(' · ');
  document.getElementById('state-input').textContent = pretty(s?.input);
  document.getElementById('state-output').textContent = pretty(s?.output);
  drawGraph(state.detail);
}

// ---- the list, the detail, the faults -------------------------------------------------

function renderList(executions) {
  const body = document.querySelector('#executions tbody');
  document.getElementById('list-count').textContent = `${executions.length} execution(s), newest first`;
  body.replaceChildren(
    ...executions.map((x) => {
      const row = el('tr', { 'data-name': x.name, class: x.name === state.selected ? 'selected' : undefined });
      row.append(
        el('td', { class: 'name' }, x.name),
        el('td', { class: `status-${x.status}` }, x.status),
        el('td', { class: x.orderStatus ? `order-${x.orderStatus}` : undefined }, x.orderStatus ?? ''),
        el('td', {}, duration(x.durationMs)),
        el('td', {}, new Date(x.startDate).toLocaleTimeString()),
      );
      row.addEventListener('click', () => selectExecution(x.name));
      return row;
    }),
  );
}

function renderEvents(events) {
  const body = document.querySelector('#events tbody');
  const start = events[0]?.timestamp ?? 0;
  document.getElementById('event-count').textContent = `(${events.length})`;
  body.replaceChildren(
    ...events.map((e) => {
      const details = Object.entries(e).find(([k]) => k.endsWith('EventDetails'))?.[1] ?? {};
      const stateName = details.name ?? '';
      const detail = details.error ? `${details.error}: ${details.cause ?? ''}` : '';
      const row = el('tr', { 'data-type': e.type });
      row.append(
        el('td', {}, e.id),
        el('td', {}, e.type),
        el('td', {}, stateName),
        el('td', {}, e.timestamp - start),
        el('td', {}, detail),
      );
      return row;
    }),
  );
}

async function selectExecution(name) {
  state.selected = name;
  if (state.selectedState === null) state.selectedState = state.definition?.StartAt ?? null;
  await refreshDetail();
  for (const row of document.querySelectorAll('#executions tbody tr')) row.classList.toggle('selected', row.dataset.name === name);
}

async function refreshDetail() {
  if (!state.selected) return;
  const detail = await getJson(`/api/executions/${encodeURIComponent(state.selected)}`);
  state.detail = detail;
  const x = detail.execution;
  document.getElementById('detail-title').textContent = `Execution ${x.name}`;
  document.getElementById('detail-summary').textContent =
    `${x.status}${x.orderStatus ? ` · order ${x.orderStatus}` : ''}${x.durationMs !== undefined ? ` · ${duration(x.durationMs)}` : ''}${x.error ? ` · ${x.error}` : ''}`;
  document.getElementById('order').textContent = detail.order ? `HTTP ${detail.order.status}\n${pretty(detail.order.body)}` : '';
  renderEvents(detail.events);
  if (state.selectedState) selectState(state.selectedState);
  else drawGraph(detail);
}

function renderFaults(body) {
  const select = document.getElementById('fault-state');
  if (select.options.length === 0) select.append(...body.taskStates.map((s) => el('option', { value: s }, s)));
  document
    .getElementById('faults')
    .replaceChildren(
      ...(body.faults.length === 0
        ? [el('li', { class: 'muted' }, 'no faults injected')]
        : body.faults.map((f) =>
            el('li', {}, `${f.state} fails with ${f.error} ${f.times === 'always' ? 'always' : `${f.times}× per execution`}`),
          )),
    );
}

function faultSpec(f) {
  return `${f.state}:${f.error}:${f.times}`;
}

async function putFaults(specs) {
  const message = document.getElementById('fault-message');
  try {
    const body = await getJson('/api/faults', {
      method: 'PUT',
      headers: { 'content-type': 'application/json', 'x-orders-console': '1' },
      body: JSON.stringify({ faults: specs }),
    });
    renderFaults(body);
    message.textContent = specs.length ? 'Faults apply to executions from now on.' : 'Faults cleared.';
    state.faults = body.faults;
  } catch (e) {
    message.textContent = e.message;
  }
}

async function tick() {
  try {
    const { executions } = await getJson('/api/executions');
    renderList(executions);
    const selected = executions.find((x) => x.name === state.selected);
    if (selected && (selected.status === 'RUNNING' || state.detail?.execution.status !== selected.status)) await refreshDetail();
  } catch (e) {
    document.getElementById('list-count').textContent = `The local runtime does not answer: ${e.message}`;
  }
}

async function main() {
  const { definition, stateMachineArn } = await getJson('/api/definition');
  state.definition = definition;
  document.getElementById('machine').textContent = stateMachineArn;
  const model = graphModel(definition);
  state.layout = { model, g: layoutGraph(model) };
  drawGraph(null);
  const faults = await getJson('/api/faults');
  state.faults = faults.faults;
  renderFaults(faults);
  document.getElementById('fault-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    const spec = {
      state: document.getElementById('fault-state').value,
      error: document.getElementById('fault-error').value.trim(),
      times: document.getElementById('fault-times').value.trim(),
    };
    putFaults([...state.faults.map(faultSpec), faultSpec(spec)]);
  });
  document.getElementById('fault-clear').addEventListener('click', () => putFaults([]));
  await tick();
  setInterval(tick, 1000);
}

main();
