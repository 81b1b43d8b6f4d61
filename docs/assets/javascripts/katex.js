// Show the formulas that hooks/katex_render.py typeset when the site was built.
//
// Each .arithmatex element holds its TeX (what shows until this runs) and a
// <template> with KaTeX's HTML. Why not put that HTML straight in the page:
// Material's script measures the page's layout as it starts, and on a chapter
// with a hundred formulas the extra layout made one long task of half a
// second on a phone's CPU (Lighthouse's Total Blocking Time). Swapped in here,
// a few at a time after Material has started, with a frame in between so that
// the browser lays out a few formulas at once, the page stays responsive.
// (Inserting them is quick; laying them out is the work, and it happens in the
// frame after the insertion, so the slices are counted in formulas.)
// document$ also fires after Material's instant loading.
//
// Paper cannot wait for the next frame: before the browser prints, every
// formula still waiting is shown at once. (The print page has no templates:
// its formulas are typeset in place, see hooks/katex_render.py.)
(() => {
  const PER_FRAME = 4;
  const PENDING = ".arithmatex > template";
  const nextFrame = () =>
    new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));

  function show(template) {
    const formula = template.parentElement;
    if (formula !== null) formula.replaceChildren(template.content);
  }

  async function showAll(root) {
    const pending = [...root.querySelectorAll(PENDING)];
    for (let start = 0; start < pending.length; start += PER_FRAME) {
      if (start > 0) await nextFrame();
      pending.slice(start, start + PER_FRAME).forEach(show);
    }
  }

  addEventListener("beforeprint", () => {
    document.querySelectorAll(PENDING).forEach(show);
  });

  document$.subscribe(({ body }) => {
    showAll(body);
  });
})();
