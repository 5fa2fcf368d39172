// The explorable drawing (viz/widget.py): click a part to read its chain rule, step the forward
// and backward passes one wire at a time, edit an input and let the kernel redraw.
//
// The drawing is viz's own SVG. Every wire, gate and arrow in it is a <g> whose classes name it
// ("node wire s3 v2": node 2's wire, reached at backward step 3; "node gate g4"; "edge e5 branch
// s3"), so the page finds its explanation in the `parts` the kernel sent. Values are the green
// texts (#008000), gradients the red ones (#c00000). Everything a user typed (labels) arrives as
// text and is shown with textContent, never as markup.

const GREEN = "#008000";
const RED = "#c00000";
const PART = /^(?:[vgnb]\d+|e\d+|elided)$/;

function token(g, pattern) {
  for (const name of g.classList) {
    const found = pattern.exec(name);
    if (found) return found;
  }
  return null;
}

function element(tag, className, text) {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (text !== undefined) e.textContent = text;
  return e;
}

function render({ model, el }) {
  el.classList.add("gg-widget");
  const inputs = element("div", "gg-inputs");
  const bar = element("div", "gg-bar");
  const buttons = {
    start: element("button", "", "forward pass"),
    back: element("button", "", "◀"),
    next: element("button", "", "▶"),
    backward: element("button", "", "backward pass"),
    all: element("button", "", "all"),
    size: element("button", "gg-size", "full size"),
  };
  const slider = element("input", "gg-step");
  slider.type = "range";
  slider.min = "0";
  slider.setAttribute("aria-label", "step");
  bar.append(buttons.start, buttons.back, slider, buttons.next, buttons.backward, buttons.all, buttons.size);
  const caption = element("div", "gg-caption");
  const picture = element("div", "gg-picture");
  const explain = element("pre", "gg-explain", "Click a wire, a gate or an arrow to see where its numbers come from.");
  const error = element("div", "gg-error");
  el.append(inputs, bar, caption, picture, explain, error);
  Object.values(buttons).forEach((b) => (b.type = "button"));

  let position = null; // null: the whole drawing (every value and gradient)

  function counts() {
    return [model.get("forward").length, model.get("backward").length];
  }

  function show() {
    const [F, B] = counts();
    const total = F + B;
    const p = position === null ? total : Math.max(0, Math.min(position, total));
    slider.max = String(total);
    slider.value = String(p);
    const forward = model.get("forward");
    const backward = model.get("backward");
    const computed = new Map(forward.map((s, k) => [s.id, k]));
    const current = p === 0 || p === total ? null : p <= F ? forward[p - 1].id : backward[p - F - 1].id;
    picture.querySelectorAll("g.wire, g.branch").forEach((g) => {
      const id = token(g, PART);
      const k = id ? computed.get(id[0]) : undefined;
      const valueShown = k === undefined || p > k; // forward step k + 1 computes wire k
      const step = token(g, /^s(\d+)$/);
      const gradShown = p - F > (step ? +step[1] : 0); // backward step j reveals the wires with s < j
      g.querySelectorAll(`text[fill="${GREEN}"]`).forEach((t) => (t.style.visibility = valueShown ? "" : "hidden"));
      g.querySelectorAll(`text[fill="${RED}"]`).forEach((t) => (t.style.visibility = gradShown ? "" : "hidden"));
      g.classList.toggle("gg-current", id !== null && id[0] === current);
    });
    if (p === total) {
      caption.textContent = B
        ? "Every value and gradient. Step through the passes: press “forward pass”, then ▶."
        : "The forward pass (run backward() for gradients). Press “forward pass”, then ▶ to step through it.";
    } else if (p === 0) {
      caption.textContent = "Nothing computed yet: ▶ runs the forward pass one gate at a time.";
    } else if (p <= F) {
      caption.textContent = `forward ${p} of ${F}: ${forward[p - 1].caption}`;
    } else {
      caption.textContent = `backward ${p - F} of ${B}: ${backward[p - F - 1].caption}`;
    }
  }

  function go(p) {
    const [F, B] = counts();
    position = Math.max(0, Math.min(p, F + B));
    show();
  }

  function draw() {
    picture.innerHTML = model.get("svg"); // viz's SVG: labels in it are escaped by Graphviz
    // A wide invisible copy of each arrow makes the 1-px line easy to click.
    picture.querySelectorAll("g.edge path").forEach((path) => {
      const hit = path.cloneNode(false);
      hit.setAttribute("stroke", "transparent");
      hit.setAttribute("stroke-width", "10");
      hit.setAttribute("class", "gg-hit");
      path.after(hit);
    });
    show();
  }

  function drawInputs() {
    inputs.textContent = "";
    for (const spec of model.get("inputs")) {
      const row = element("label", "gg-input");
      const range = element("input");
      const number = element("input");
      range.type = "range";
      number.type = "number";
      for (const box of [range, number]) {
        box.step = String(spec.step);
        box.value = String(spec.value);
      }
      range.min = String(spec.min);
      range.max = String(spec.max);
      range.setAttribute("aria-label", spec.name);
      number.setAttribute("aria-label", spec.name);
      range.addEventListener("input", () => {
        number.value = range.value;
        send(spec.name, +range.value);
      });
      number.addEventListener("change", () => {
        if (number.value === "" || !isFinite(+number.value)) return;
        range.value = number.value;
        send(spec.name, +number.value);
      });
      row.append(element("span", "gg-name", spec.name), range, number);
      inputs.append(row);
    }
  }

  let timer = null;
  let sent = 0;
  function send(name, value) {
    clearTimeout(timer); // a dragged slider sends its latest position, not every one
    timer = setTimeout(() => {
      model.set("edit", { name: name, value: value, sent: ++sent });
      model.save_changes();
    }, 40);
  }

  picture.addEventListener("click", (event) => {
    const g = event.target.closest("g.node, g.edge");
    const id = g && token(g, PART);
    const part = id && model.get("parts")[id[0]];
    if (!part) return;
    picture.querySelectorAll(".gg-selected").forEach((e) => e.classList.remove("gg-selected"));
    g.classList.add("gg-selected");
    explain.textContent = part.title;
  });
  buttons.start.addEventListener("click", () => go(0));
  buttons.back.addEventListener("click", () => go(+slider.value - 1));
  buttons.next.addEventListener("click", () => go(+slider.value + 1));
  buttons.backward.addEventListener("click", () => go(counts()[0]));
  buttons.all.addEventListener("click", () => {
    position = null;
    show();
  });
  buttons.size.addEventListener("click", () => {
    const full = picture.classList.toggle("gg-full");
    buttons.size.textContent = full ? "fit width" : "full size";
  });
  slider.addEventListener("input", () => go(+slider.value));
  el.addEventListener("keydown", (event) => {
    if (event.target.tagName === "INPUT" && event.target !== slider) return;
    if (event.key === "ArrowRight") go(+slider.value + 1);
    else if (event.key === "ArrowLeft") go(+slider.value - 1);
    else return;
    event.preventDefault();
  });

  model.on("change:svg", draw);
  model.on("change:inputs", drawInputs);
  model.on("change:error", () => (error.textContent = model.get("error")));
  drawInputs();
  draw();
}

export default { render };
