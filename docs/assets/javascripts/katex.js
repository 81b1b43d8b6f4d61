// Typeset the math that pymdownx.arithmatex (generic mode) leaves in .arithmatex
// elements, with the self-hosted KaTeX. document$ also fires after Material's
// instant loading.
//
// Why not KaTeX's auto-render over the whole body: arithmatex already marks every
// formula, as \( ... \) in a <span> or \[ ... \] in a <div>, so walking every text
// node of a long page for "$" is wasted work, and could typeset a dollar sign in
// prose. And why in slices: a chapter with 80 formulas took one long task on a
// phone's CPU, which blocks taps and scrolling (Lighthouse's Total Blocking Time);
// slices of a few milliseconds each leave the page responsive in between.
(() => {
  const SLICE_MS = 8;
  const DELIMITERS = { "\\(": "\\)", "\\[": "\\]", "$$": "$$", $: "$" };

  /** The TeX inside the delimiters, and whether it is a display formula. */
  function source(element) {
    const text = element.textContent.trim();
    for (const [left, right] of Object.entries(DELIMITERS)) {
      if (text.startsWith(left) && text.endsWith(right) && text.length >= left.length + right.length) {
        const display = left === "\\[" || left === "$$";
        return { tex: text.slice(left.length, text.length - right.length), display };
      }
    }
    return null;
  }

  function typeset(element) {
    const math = source(element);
    if (math === null) {
      console.error("KaTeX: no \\( \\) or \\[ \\] around the formula:", element.textContent);
      return;
    }
    try {
      katex.render(math.tex, element, { displayMode: math.display, throwOnError: true });
    } catch (err) {
      // One bad formula must not leave the rest of the page untypeset; the error
      // still reaches the console, where the browser tests look for it.
      console.error("KaTeX:", err.message, "in", math.tex);
    }
  }

  const nextTask = () => new Promise((resolve) => setTimeout(resolve, 0));

  async function typesetAll(root) {
    const pending = [...root.querySelectorAll(".arithmatex")].filter(
      (element) => !element.querySelector(".katex"),
    );
    let sliceStart = performance.now();
    for (const element of pending) {
      if (performance.now() - sliceStart > SLICE_MS) {
        await nextTask();
        sliceStart = performance.now();
      }
      if (element.isConnected) typeset(element);
    }
  }

  document$.subscribe(({ body }) => {
    typesetAll(body);
  });
})();
