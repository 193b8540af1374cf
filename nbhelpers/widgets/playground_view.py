"""The playground's live view: drawn in the browser (an anywidget) from the numbers the kernel sends.

Why not a picture rendered in the kernel, as the other panels do: while Play runs, a frame must cost at most
50 ms of kernel CPU *including the training*, at 10 frames per second. Measured on the chapter's sizes
(benchmarks/bench_playground.py): matplotlib needs about 170 ms to draw the playground's figure and 20-50 ms more
to encode it as a PNG at twice the display density, while the numbers below (a 60 x 60 picture of the plane,
20 x 20 pictures of every neuron, the weights, the curves) take a few milliseconds to compute and about 40 KB to
send. Drawing in the browser is also what makes the diagram answer the mouse: hover on a weight or a neuron to
read its value, click to keep it shown; and it is sharp at any screen density.

The kernel sends three things (see :meth:`Playground._push_view`): ``static`` (points, extent and the diagram's
structure: only when data or network change), ``frame`` (titles, curves, weights, boundary lines, a notice) and two
byte arrays (``boundary``: the plane's colours, RGBA rows from the top; ``pictures``: every drawn node's picture,
one after another). One message per frame (``hold_sync``).

While Play runs (``ticking``), the view itself asks for frames: a ``tick`` message every ``interval`` ms, at most three
unanswered (``frame["tick"]`` answers). Play's own ticks would wait for each frame's round trip to the browser
(ipywidgets holds back a widget's next change until the kernel has answered the last one), which on a busy
2-core machine costs 50-70 ms a frame on top of the kernel's work; asking ahead hides that delay.
"""

from __future__ import annotations

import anywidget
import traitlets

__all__ = ["PlaygroundView"]

_ESM = r"""
const NS = "http://www.w3.org/2000/svg";
function bytes(v) {
  if (!v) return new Uint8ClampedArray(0);
  if (v instanceof DataView || ArrayBuffer.isView(v)) return new Uint8ClampedArray(v.buffer, v.byteOffset, v.byteLength);
  if (v instanceof ArrayBuffer) return new Uint8ClampedArray(v);
  return new Uint8ClampedArray(0);
}
function niceTicks(lo, hi, count) {
  const span = hi - lo;
  if (!(span > 0)) return [lo];
  const raw = span / count, mag = Math.pow(10, Math.floor(Math.log10(raw)));
  const step = [1, 2, 2.5, 5, 10].map(m => m * mag).find(s => s >= raw) || 10 * mag;
  const out = [];
  for (let t = Math.ceil(lo / step - 1e-9) * step; t <= hi + 1e-9 * span; t += step) out.push(Math.abs(t) < 1e-12 ? 0 : t);
  return out;
}
function fmt(t) { return Math.abs(t) >= 1000 ? t.toFixed(0) : +t.toPrecision(3) + ""; }
function marker(ctx, kind, x, y, r) {
  ctx.beginPath();
  if (kind === "s") ctx.rect(x - r * 0.88, y - r * 0.88, 1.76 * r, 1.76 * r);
  else if (kind === "^") { ctx.moveTo(x, y - 1.15 * r); ctx.lineTo(x + r, y + 0.75 * r); ctx.lineTo(x - r, y + 0.75 * r); ctx.closePath(); }
  else if (kind === "D") { ctx.moveTo(x, y - 1.2 * r); ctx.lineTo(x + r, y); ctx.lineTo(x, y + 1.2 * r); ctx.lineTo(x - r, y); ctx.closePath(); }
  else ctx.arc(x, y, r, 0, 2 * Math.PI);
}

function render({ model, el }) {
  const root = document.createElement("div");
  root.className = "nbpg-root";
  root.dataset.frames = "0";
  const diagram = document.createElement("div");
  diagram.className = "nbpg-diagram";
  const svg = document.createElementNS(NS, "svg");
  svg.setAttribute("class", "nbpg-lines");
  diagram.appendChild(svg);
  const readout = document.createElement("div");
  readout.className = "nbpg-readout";
  readout.textContent = "Hover on a weight (line) or a neuron for its value; click to keep it shown.";
  const wrap = document.createElement("div");
  wrap.className = "nbpg-plots";
  const canvas = document.createElement("canvas");
  wrap.appendChild(canvas);
  root.append(diagram, readout, wrap);
  el.appendChild(root);

  let nodes = [], lines = [], pinned = null, pending = false, builtFor = null;
  const plane = document.createElement("canvas");

  function say(text, keep) {
    if (keep) pinned = text;
    readout.textContent = text || pinned || "Hover on a weight (line) or a neuron for its value; click to keep it shown.";
  }

  function build(st, width) {
    // the diagram's structure: one column per layer (inputs first), at most 8 nodes each
    diagram.querySelectorAll(".nbpg-node, .nbpg-head").forEach(n => n.remove());
    while (svg.firstChild) svg.removeChild(svg.firstChild);
    nodes = []; lines = [];
    const cols = st.layers.length, H = 276, size = 26, gap = 30, top = 24;
    const left = 76, right = width - 30, dx = cols > 1 ? (right - left) / (cols - 1) : 0;
    svg.setAttribute("width", width); svg.setAttribute("height", H);
    diagram.style.height = H + "px";
    st.layers.forEach((names, c) => {
      const x = left + c * dx, n = names.length, y0 = top + (8 - n) * gap / 2 + 6;
      const head = document.createElement("div");
      head.className = "nbpg-head";
      const total = st.sizes[c];
      head.textContent = c === 0 ? "inputs" : (c === cols - 1 ? "output" : `layer ${c}: ${total}` + (total > n ? ` (first ${n})` : ""));
      head.style.left = Math.max(0, Math.min(width - 120, x - 60)) + "px"; head.style.top = "2px";
      diagram.appendChild(head);
      nodes.push(names.map((name, j) => {
        const cv = document.createElement("canvas");
        cv.className = "nbpg-node";
        cv.width = st.picture; cv.height = st.picture;
        cv.style.left = (x - size / 2) + "px"; cv.style.top = (y0 + j * gap) + "px";
        cv.style.width = size + "px"; cv.style.height = size + "px";
        cv.title = name;
        cv.addEventListener("mouseenter", () => say(cv.title));
        cv.addEventListener("mouseleave", () => say(""));
        cv.addEventListener("click", () => say(cv.title, true));
        diagram.appendChild(cv);
        if (c === 0) {
          const label = document.createElement("div");
          label.className = "nbpg-head nbpg-input";
          label.textContent = name;
          label.style.left = (x - size / 2 - 66) + "px"; label.style.top = (y0 + j * gap + 5) + "px";
          diagram.appendChild(label);
        }
        return { cv, name, x, y: y0 + j * gap + size / 2 };
      }));
    });
    for (let c = 0; c + 1 < nodes.length; c++) {
      lines.push(nodes[c].map(a => nodes[c + 1].map(b => {
        const line = document.createElementNS(NS, "line");
        line.setAttribute("x1", a.x + size / 2); line.setAttribute("y1", a.y);
        line.setAttribute("x2", b.x - size / 2); line.setAttribute("y2", b.y);
        const title = document.createElementNS(NS, "title");
        line.appendChild(title);
        line.addEventListener("mouseenter", () => say(title.textContent));
        line.addEventListener("mouseleave", () => say(""));
        line.addEventListener("click", () => say(title.textContent, true));
        svg.appendChild(line);
        return { line, title, from: a.name, to: b.name };
      })));
    }
  }

  function drawDiagram(st, fr) {
    const pics = bytes(model.get("pictures")), P = st.picture, n = P * P * 4;
    let k = 0;
    nodes.forEach((column, c) => column.forEach((node, j) => {
      if ((k + 1) * n <= pics.length) {
        node.cv.getContext("2d").putImageData(new ImageData(new Uint8ClampedArray(pics.slice(k * n, (k + 1) * n)), P, P), 0, 0);
      }
      k++;
      if (c > 0 && fr.biases && fr.biases[c - 1]) node.cv.title = `${node.name}: bias ${fmt(fr.biases[c - 1][j])}`;
    }));
    const pal = st.palette;
    lines.forEach((rows, c) => rows.forEach((row, i) => row.forEach((item, j) => {
      const w = fr.weights && fr.weights[c] ? fr.weights[c][i][j] : 0;
      item.line.setAttribute("stroke", w < 0 ? pal[0] : pal[1]);
      item.line.setAttribute("stroke-width", Math.min(0.5 + 2.2 * Math.abs(w), 7).toFixed(2));
      item.line.setAttribute("stroke-opacity", Math.min(0.25 + 0.6 * Math.abs(w), 0.9).toFixed(2));
      item.title.textContent = `weight ${fmt(w)} from ${item.from} to ${item.to}`;
    })));
  }

  function axes(ctx, x0, y0, w, h, xs, ys, xlim, ylim) {
    ctx.strokeStyle = "#555"; ctx.lineWidth = 1; ctx.strokeRect(x0, y0, w, h);
    ctx.fillStyle = "#222"; ctx.font = "12px sans-serif";
    ctx.textAlign = "center"; ctx.textBaseline = "top";
    xs.forEach(t => { const px = x0 + (t - xlim[0]) / (xlim[1] - xlim[0]) * w;
      ctx.beginPath(); ctx.moveTo(px, y0 + h); ctx.lineTo(px, y0 + h + 4); ctx.stroke(); ctx.fillText(fmt(t), px, y0 + h + 5); });
    ctx.textAlign = "right"; ctx.textBaseline = "middle";
    ys.forEach(t => { const py = y0 + h - (t - ylim[0]) / (ylim[1] - ylim[0]) * h;
      ctx.beginPath(); ctx.moveTo(x0, py); ctx.lineTo(x0 - 4, py); ctx.stroke(); ctx.fillText(fmt(t), x0 - 6, py); });
  }

  function curve(ctx, x0, y0, w, h, xs, ys, xlim, ylim, colour, dashed) {
    ctx.save(); ctx.beginPath(); ctx.rect(x0, y0, w, h); ctx.clip();
    ctx.strokeStyle = colour; ctx.lineWidth = 1.8; ctx.setLineDash(dashed ? [5, 3] : []);
    ctx.beginPath(); let on = false;
    for (let i = 0; i < xs.length; i++) {
      if (ys[i] === null) { on = false; continue; }
      const px = x0 + (xs[i] - xlim[0]) / (xlim[1] - xlim[0]) * w, py = y0 + h - (ys[i] - ylim[0]) / (ylim[1] - ylim[0]) * h;
      if (on) ctx.lineTo(px, py); else { ctx.moveTo(px, py); on = true; }
    }
    ctx.stroke(); ctx.restore();
  }

  function drawPlots(st, fr, width) {
    // side by side from 640 px, else the curves go under the plane (readable in a narrow window)
    const wide = width >= 640, S = wide ? Math.min(272, width * 0.42) : Math.min(300, width - 70), ch = 116;
    const bx = 52, by = 26, cx = wide ? bx + S + 66 : 66, cw = Math.max(80, width - cx - 12);
    const cy1 = wide ? by : by + S + 86, cy2 = cy1 + ch + 58;
    const H = wide ? 352 : cy2 + ch + 56, dpr = window.devicePixelRatio || 1;
    wrap.style.height = H + "px";
    canvas.style.width = width + "px"; canvas.style.height = H + "px";
    if (canvas.width !== Math.round(width * dpr) || canvas.height !== Math.round(H * dpr)) {
      canvas.width = Math.round(width * dpr); canvas.height = Math.round(H * dpr);
    }
    const ctx = canvas.getContext("2d");
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, width, H);
    // the plane: the network's answer, the boundary line, the points
    const ex = st.extent;
    const G = st.grid, pix = bytes(model.get("boundary"));
    if (pix.length === G * G * 4) {
      plane.width = G; plane.height = G;
      plane.getContext("2d").putImageData(new ImageData(new Uint8ClampedArray(pix), G, G), 0, 0);
      ctx.imageSmoothingEnabled = true; ctx.imageSmoothingQuality = "high";
      ctx.drawImage(plane, bx, by, S, S);
    }
    const X = v => bx + (v - ex[0]) / (ex[1] - ex[0]) * S, Y = v => by + S - (v - ex[2]) / (ex[3] - ex[2]) * S;
    ctx.save(); ctx.beginPath(); ctx.rect(bx, by, S, S); ctx.clip();
    ctx.strokeStyle = "#000"; ctx.lineWidth = 1.6;
    (fr.contours || []).forEach(flat => { ctx.beginPath();
      for (let i = 0; i < flat.length; i += 2) { const px = X(flat[i]), py = Y(flat[i + 1]); if (i) ctx.lineTo(px, py); else ctx.moveTo(px, py); }
      ctx.stroke(); });
    const valueColour = v => st.value_colors[Math.max(0, Math.min(8, Math.round((v + 1) / 2 * 8)))];
    const sets = [[st.train, false]].concat(fr.show_test ? [[st.test, true]] : []);
    sets.forEach(([p, hollow]) => {
      for (let i = 0; i < p.x.length; i++) {
        const regression = st.n_classes === 0;
        const colour = regression ? valueColour(p.v[i]) : st.class_colors[p.v[i]];
        marker(ctx, regression ? (hollow ? "s" : "o") : st.markers[p.v[i]], X(p.x[i]), Y(p.y[i]), 3.6);
        if (hollow && !regression) { ctx.strokeStyle = colour; ctx.lineWidth = 1.6; ctx.stroke(); }
        else { ctx.fillStyle = colour; ctx.fill(); ctx.strokeStyle = "#111"; ctx.lineWidth = hollow ? 1.4 : 0.7; ctx.stroke(); }
      }
    });
    ctx.restore();
    const ticks = niceTicks(ex[0], ex[1], 5);
    axes(ctx, bx, by, S, S, ticks, niceTicks(ex[2], ex[3], 5), [ex[0], ex[1]], [ex[2], ex[3]]);
    ctx.fillStyle = "#111"; ctx.font = "13px sans-serif"; ctx.textAlign = "left"; ctx.textBaseline = "alphabetic";
    ctx.fillText(fr.title || "", bx, by - 8);
    ctx.font = "italic 13px serif"; ctx.textAlign = "center";
    ctx.fillText("x\u2081", bx + S / 2, by + S + 32);
    ctx.save(); ctx.translate(bx - 36, by + S / 2); ctx.rotate(-Math.PI / 2); ctx.fillText("x\u2082", 0, 0); ctx.restore();
    // its legend, under it
    ctx.font = "12px sans-serif"; ctx.textAlign = "left"; ctx.textBaseline = "middle";
    let lx = bx, ly = by + S + 46;
    if (st.n_classes) {
      for (let k = 0; k < st.n_classes; k++) {
        marker(ctx, st.markers[k], lx + 5, ly, 4); ctx.fillStyle = st.class_colors[k]; ctx.fill();
        ctx.strokeStyle = "#111"; ctx.lineWidth = 0.7; ctx.stroke();
        const name = "class " + (st.class_names[k] !== undefined ? st.class_names[k] : k);
        ctx.fillStyle = "#222"; ctx.fillText(name, lx + 13, ly); lx += 22 + ctx.measureText(name).width;
      }
      if (fr.show_test) { marker(ctx, "o", lx + 5, ly, 4); ctx.strokeStyle = "#444"; ctx.lineWidth = 1.6; ctx.stroke();
        ctx.fillStyle = "#222"; ctx.fillText("hollow = test", lx + 13, ly); }
    } else {
      ctx.fillStyle = "#222"; ctx.fillText("-1", lx, ly); lx += 16;
      st.value_colors.forEach((c, i) => { ctx.fillStyle = c; ctx.fillRect(lx + i * 12, ly - 6, 12, 12); });
      lx += 12 * st.value_colors.length + 4; ctx.fillStyle = "#222"; ctx.fillText("+1  (target; test points square)", lx, ly);
    }
    // the curves: loss above, accuracy below
    const c = fr.curves || { epoch: [] }, ep = c.epoch || [];
    const xmax = Math.max(1, ep.length ? ep[ep.length - 1] : 1), xlim = [0, xmax], xt = niceTicks(0, xmax, 4);
    const finite = (c.train_loss || []).concat(c.test_loss || []).filter(v => v !== null && isFinite(v));
    const top = finite.length ? Math.max(...finite) * 1.05 || 1 : 1;
    axes(ctx, cx, cy1, cw, ch, xt, niceTicks(0, top, 3), xlim, [0, top]);
    curve(ctx, cx, cy1, cw, ch, ep, c.train_loss || [], xlim, [0, top], st.palette[0], false);
    curve(ctx, cx, cy1, cw, ch, ep, c.test_loss || [], xlim, [0, top], st.palette[5], true);
    ctx.fillStyle = "#111"; ctx.font = "13px sans-serif"; ctx.textAlign = "left"; ctx.textBaseline = "alphabetic";
    ctx.fillText(fr.loss_title || "", cx - 40, cy1 - 8);
    ctx.save(); ctx.font = "12px sans-serif"; ctx.textAlign = "center";
    ctx.translate(cx - 44, cy1 + ch / 2); ctx.rotate(-Math.PI / 2); ctx.fillText("loss", 0, 0); ctx.restore();
    axes(ctx, cx, cy2, cw, ch, xt, [0, 0.5, 1], xlim, [0, 1.02]);
    if (st.n_classes) {
      curve(ctx, cx, cy2, cw, ch, ep, c.train_acc || [], xlim, [0, 1.02], st.palette[0], false);
      curve(ctx, cx, cy2, cw, ch, ep, c.test_acc || [], xlim, [0, 1.02], st.palette[5], true);
    } else {
      ctx.fillStyle = "#666"; ctx.font = "12px sans-serif"; ctx.textAlign = "center"; ctx.textBaseline = "middle";
      ctx.fillText("no accuracy: a regression", cx + cw / 2, cy2 + ch / 2);
    }
    ctx.save(); ctx.fillStyle = "#111"; ctx.font = "12px sans-serif"; ctx.textAlign = "center"; ctx.textBaseline = "alphabetic";
    ctx.translate(cx - 44, cy2 + ch / 2); ctx.rotate(-Math.PI / 2); ctx.fillText("accuracy", 0, 0); ctx.restore();
    ctx.fillStyle = "#111"; ctx.font = "12px sans-serif"; ctx.textAlign = "center"; ctx.textBaseline = "top";
    ctx.fillText("epoch", cx + cw / 2, cy2 + ch + 20);
    // one legend for both, under them, where it covers nothing
    let gx = cx, gy = cy2 + ch + 42;
    [["train", false], ["test", true]].forEach(([name, dashed], i) => {
      ctx.strokeStyle = st.palette[dashed ? 5 : 0]; ctx.lineWidth = 1.8; ctx.setLineDash(dashed ? [5, 3] : []);
      ctx.beginPath(); ctx.moveTo(gx, gy); ctx.lineTo(gx + 24, gy); ctx.stroke(); ctx.setLineDash([]);
      ctx.fillStyle = "#222"; ctx.textAlign = "left"; ctx.textBaseline = "middle"; ctx.fillText(name, gx + 30, gy);
      gx += 80;
    });
    // settings that cannot train: the last picture stays, with the reason over it
    if (fr.notice) {
      ctx.font = "13px sans-serif"; ctx.textAlign = "left"; ctx.textBaseline = "top";
      const words = fr.notice.split(" "), rows = [], maxw = width - 40;
      let row = "";
      words.forEach(w => { const t = row ? row + " " + w : w; if (ctx.measureText(t).width > maxw && row) { rows.push(row); row = w; } else row = t; });
      if (row) rows.push(row);
      const bh = 12 + 18 * rows.length;
      ctx.fillStyle = "rgba(255,255,255,0.92)"; ctx.fillRect(10, by + 40, width - 20, bh);
      ctx.strokeStyle = "#b00020"; ctx.lineWidth = 1.5; ctx.setLineDash([]); ctx.strokeRect(10, by + 40, width - 20, bh);
      ctx.fillStyle = "#b00020"; rows.forEach((r, i) => ctx.fillText(r, 20, by + 46 + 18 * i));
    }
  }

  function draw() {
    pending = false;
    const t0 = performance.now();
    const st = model.get("static"), fr = model.get("frame");
    if (!st || !st.layers) return;
    const width = Math.max(360, Math.min(860, Math.floor(root.getBoundingClientRect().width) || 760));
    const key = JSON.stringify([st.layers, st.sizes, width]);
    if (builtFor !== key) { build(st, width); builtFor = key; }
    drawDiagram(st, fr || {});
    drawPlots(st, fr || {}, width);
    root.dataset.frames = String(Number(root.dataset.frames) + 1);
    root.dataset.drawMs = (performance.now() - t0).toFixed(1);  // what drawing a frame costs the browser
  }
  function schedule() { if (!pending) { pending = true; requestAnimationFrame(draw); } }
  ["static", "frame", "boundary", "pictures"].forEach(name => model.on("change:" + name, schedule));
  // Play's ticks. While the kernel trains, this view asks for the next frame every `interval` ms without waiting
  // for the last one to arrive (at most three asked for and not yet answered), so the time a frame spends on its
  // way to the screen does not slow the frame rate.
  // The ticks keep to a clock (a tick that came late is followed by the next one sooner), so a busy page does
  // not slow them down for good.
  let ticker = null, sent = 0, answered = 0, lastSent = 0, due = 0;
  function tick() {
    ticker = null;
    if (!model.get("ticking")) return;
    const now = performance.now(), interval = Math.max(20, model.get("interval") || 80);
    if (sent - answered < 3 || now - lastSent > 1000) { sent += 1; lastSent = now; model.send({ event: "tick", n: sent }); }
    due = Math.max(due + interval, now + interval / 4);
    ticker = setTimeout(tick, due - now);
  }
  function onTicking() {
    if (model.get("ticking")) { if (!ticker) { answered = sent; due = performance.now(); tick(); } }
    else if (ticker) { clearTimeout(ticker); ticker = null; }
  }
  function onFrame() { const fr = model.get("frame"); if (fr && fr.tick) answered = Math.max(answered, fr.tick); }
  model.on("change:ticking", onTicking);
  model.on("change:frame", onFrame);
  const resize = typeof ResizeObserver !== "undefined" ? new ResizeObserver(schedule) : null;
  if (resize) resize.observe(root);
  schedule();
  model.send({ event: "shown" });  // the kernel now knows Play's ticks will come (Train N runs as frames)
  onTicking();
  return () => { if (ticker) clearTimeout(ticker); model.off("change:ticking", onTicking); model.off("change:frame", onFrame);
    if (resize) resize.disconnect(); ["static", "frame", "boundary", "pictures"].forEach(name => model.off("change:" + name, schedule)); };
}
export default { render };
"""

_CSS = """
.nbpg-root { width: 100%; max-width: 860px; font: 12px sans-serif; color: #222; }
.nbpg-diagram { position: relative; width: 100%; overflow: hidden; }
.nbpg-lines { position: absolute; left: 0; top: 0; }
.nbpg-lines line { cursor: pointer; }
.nbpg-node { position: absolute; border: 1px solid #888; image-rendering: auto; cursor: pointer; }
.nbpg-head { position: absolute; width: 120px; text-align: center; font: 12px sans-serif; color: #333; }
.nbpg-input { width: 60px; text-align: right; }
.nbpg-readout { height: 18px; line-height: 18px; font: 12px sans-serif; color: #333; white-space: nowrap;
                overflow: hidden; text-overflow: ellipsis; }
.nbpg-plots { width: 100%; height: 352px; overflow: hidden; }
"""


class PlaygroundView(anywidget.AnyWidget):
    """The live view of :class:`~nbhelpers.widgets.playground.Playground` (see the module docstring)."""

    _esm = traitlets.Unicode(_ESM).tag(sync=True)
    _css = traitlets.Unicode(_CSS).tag(sync=True)
    static = traitlets.Dict().tag(sync=True)
    frame = traitlets.Dict().tag(sync=True)
    boundary = traitlets.Bytes(b"").tag(sync=True)
    pictures = traitlets.Bytes(b"").tag(sync=True)
    ticking = traitlets.Bool(False).tag(sync=True)  # while True the view sends {"event": "tick", "n": k} messages
    interval = traitlets.Int(80).tag(sync=True)  # ms between them
