// Typeset the math that pymdownx.arithmatex leaves in .arithmatex elements,
// with the self-hosted KaTeX. document$ also fires after Material's instant loading.
document$.subscribe(({ body }) => {
  renderMathInElement(body, {
    delimiters: [
      { left: "$$", right: "$$", display: true },
      { left: "$", right: "$", display: false },
      { left: "\\(", right: "\\)", display: false },
      { left: "\\[", right: "\\]", display: true },
    ],
    throwOnError: true,
  });
});
