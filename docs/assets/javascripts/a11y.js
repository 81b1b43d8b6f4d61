// Keyboard and screen-reader fixes for elements that exist only in the browser
// (the markup fixes are in hooks/a11y.py; tests/browser/test_accessibility.py
// runs axe-core over the pages).
//
// * Material puts each code block's copy button in a <nav>. A button is not
//   site navigation, and dozens of unnamed navigation landmarks made the
//   landmark list useless (axe: landmark-unique); the nav gets role="none".
// * A formula, a table or a code block wider than the screen scrolls sideways
//   in its own box. A keyboard can scroll only what it can focus, so such a
//   box gets tabindex="0" while it is wider than the screen (axe:
//   scrollable-region-focusable). Boxes that fit stay out of the tab order.
//   Material does this for a code block only once it has scrolled into view
//   (content.lazy), so a block further down was not reachable by Tab.
//   Formulas are swapped in after load (katex.js) and copy buttons appear as
//   code blocks scroll into view, so a MutationObserver follows.
(() => {
  const SCROLLERS = ".md-typeset div.arithmatex, .md-typeset__scrollwrap, .md-typeset pre > code";
  const COPY_NAV = ".md-code__nav";

  function updateFocusable(box) {
    if (box.scrollWidth > box.clientWidth) {
      box.tabIndex = 0;
    } else {
      box.removeAttribute("tabindex");
    }
  }

  const resized = new ResizeObserver((entries) => {
    entries.forEach((entry) => updateFocusable(entry.target));
  });
  const watched = new WeakSet();

  function setUp(root) {
    root.querySelectorAll(COPY_NAV).forEach((nav) => nav.setAttribute("role", "none"));
    root.querySelectorAll(SCROLLERS).forEach((box) => {
      if (!watched.has(box)) {
        watched.add(box);
        resized.observe(box); // also reports the box's size once at the start
      }
      updateFocusable(box);
    });
  }

  let pending = new Set();
  function flush() {
    const roots = pending;
    pending = new Set();
    roots.forEach((root) => {
      if (root.isConnected) setUp(root);
      const box = root.closest(SCROLLERS);
      if (box !== null) updateFocusable(box);
    });
  }

  new MutationObserver((records) => {
    if (pending.size === 0) requestAnimationFrame(flush);
    records.forEach((record) => {
      if (record.target instanceof Element) pending.add(record.target);
    });
  }).observe(document.body, { childList: true, subtree: true });

  setUp(document.body);
})();
