// okrkit's progressive enhancement. Every page works without it: the charts have a
// summary in words and a table of values, and every form posts without a script.
//
// 1. Draw each chart from the Vega-Lite spec embedded in the page (a <script
//    type="application/json"> named by the container's data-spec), with the Vega bundle
//    the server builds from its own installed package.
// 2. After a failed submit, move focus to what went wrong (the error summary, the
//    conflict notice or the import report), so keyboard and screen-reader users land there.

const views = (window.okrkitCharts = window.okrkitCharts || {});

function fallback(container, text) {
  const note = document.createElement("p");
  note.className = "chart-fallback";
  note.textContent = text;
  container.replaceChildren(note);
}

async function drawCharts() {
  const containers = document.querySelectorAll("[data-spec]");
  for (const container of containers) {
    const source = document.getElementById(container.dataset.spec);
    if (!source) continue;
    if (typeof window.vegaEmbed !== "function") {
      fallback(container, "The chart library could not be loaded; the summary below says what the chart shows.");
      continue;
    }
    try {
      const spec = JSON.parse(source.textContent);
      container.replaceChildren();
      const result = await window.vegaEmbed(container, spec, { actions: false, renderer: "svg" });
      // The figure's caption says in words what the picture shows.
      container.setAttribute("aria-hidden", "true");
      container.dataset.drawn = "true";
      views[container.id] = result.view;
    } catch (error) {
      fallback(container, "The chart could not be drawn; the summary below says what it shows.");
      console.error(error);
    }
  }
}

function focusProblem() {
  const problem = document.querySelector(
    "#conflict, #error-summary, #import-errors, #preview-errors, #value-errors, #value-warnings"
  );
  if (!problem) return;
  if (!problem.hasAttribute("tabindex")) problem.setAttribute("tabindex", "-1");
  problem.focus({ preventScroll: true });
  problem.scrollIntoView({ block: "start" });
}

focusProblem();
drawCharts();

// --- The key result form: ask for a recalibration's reason as soon as it is needed ------
// Without a script the reason's input appears when the server asks for it (a target
// changed while the cycle is active); with one, it appears as soon as the target
// differs from the one the form was opened with, and hides again when it is put back.
function revealRecalibrationReason() {
  const field = document.querySelector("[data-recalibration]");
  const target = document.getElementById("f-target");
  if (!field || !target) return;
  const original = Number.parseFloat(field.dataset.original);
  const update = () => {
    const typed = Number.parseFloat(target.value);
    const changed = target.value.trim() !== "" && typed !== original;
    if (changed || field.querySelector("[aria-invalid]") || field.querySelector("textarea").value) {
      field.hidden = false;
    } else {
      field.hidden = true;
    }
  };
  target.addEventListener("input", update);
}

revealRecalibrationReason();
