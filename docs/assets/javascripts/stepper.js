// Step-through diagrams (hooks/stepper.py writes the markup): one recorded step
// at a time, with its caption in a live region. Without this script, and on the
// print page, the reader gets the still figure and the list of captions.
(function () {
  var reduce = window.matchMedia("(prefers-reduced-motion: reduce)");
  document.querySelectorAll("figure.stepper").forEach(function (box) {
    if (box.closest(".print-chapter")) return; // the print page keeps the still figure
    var steps = box.querySelectorAll(".stepper-captions li");
    var ui = box.querySelector(".stepper-ui");
    var img = ui.querySelector("img");
    var caption = ui.querySelector(".stepper-caption");
    var count = ui.querySelector(".stepper-count");
    var play = ui.querySelector('[data-go="play"]');
    var at = 0, timer = null;
    function show(i) {
      at = Math.max(0, Math.min(steps.length - 1, i));
      var step = steps[at];
      img.src = step.getAttribute("data-frame");
      box.setAttribute("data-node", step.getAttribute("data-node"));
      box.setAttribute("data-step", at + 1);
      caption.textContent = step.textContent;
      count.textContent = at + 1 + " / " + steps.length;
      ui.querySelector('[data-go="-1"]').setAttribute("aria-disabled", at === 0);
      ui.querySelector('[data-go="1"]').setAttribute("aria-disabled", at === steps.length - 1);
      if (at + 1 < steps.length) new Image().src = steps[at + 1].getAttribute("data-frame");
    }
    function stop() {
      clearInterval(timer);
      timer = null;
      play.textContent = play.getAttribute("data-play");
      play.setAttribute("aria-label", play.getAttribute("data-play-aria"));
    }
    function toggle() {
      if (timer) return stop();
      if (at === steps.length - 1) show(0);
      play.textContent = play.getAttribute("data-pause");
      play.setAttribute("aria-label", play.getAttribute("data-pause-aria"));
      timer = setInterval(function () {
        show(at + 1);
        if (at === steps.length - 1) stop();
      }, reduce.matches ? 4000 : 2500);
    }
    ui.addEventListener("click", function (event) {
      var button = event.target.closest("button");
      if (!button) return;
      var go = button.getAttribute("data-go");
      if (go === "play") return toggle();
      stop();
      show(at + Number(go));
    });
    box.addEventListener("keydown", function (event) {
      var keys = { ArrowRight: at + 1, ArrowLeft: at - 1, Home: 0, End: steps.length - 1 };
      if (!(event.key in keys)) return;
      event.preventDefault();
      stop();
      show(keys[event.key]);
    });
    // Every caption, invisible, in the caption's grid cell: it is as tall as the
    // longest, so stepping never moves what follows.
    steps.forEach(function (step) {
      var copy = document.createElement("span");
      copy.className = "stepper-sizer";
      copy.setAttribute("aria-hidden", "true");
      copy.textContent = step.textContent;
      caption.parentNode.appendChild(copy);
    });
    box.classList.add("stepper--live");
    ui.hidden = false;
    show(0);
  });
})();
