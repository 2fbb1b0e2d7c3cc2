// Analyse: a chosen HTML or text file is read into the text box (no upload parser on the server).
document.addEventListener("DOMContentLoaded", () => {
  const file = document.getElementById("file");
  if (!file) return;
  file.addEventListener("change", async () => {
    const chosen = file.files[0];
    if (!chosen) return;
    document.getElementById("text").value = await chosen.text();
    const html = /\.html?$/i.test(chosen.name);
    document.getElementById(html ? "format-html" : "format-text").checked = true;
  });
});

// The search box suggests speakers as you type: a name picked searches their quotations.
document.addEventListener("DOMContentLoaded", () => {
  const box = document.getElementById("q");
  const list = document.getElementById("speaker-suggestions");
  if (!box || !list) return;
  let timer = null;
  let asked = "";
  box.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      const typed = box.value.replace(/^speaker:"?/i, "").trim();
      if (typed.length < 2 || typed === asked) return;
      asked = typed;
      const response = await fetch("/api/v1/speakers/suggest?" + new URLSearchParams({q: typed}));
      if (!response.ok || typed !== asked) return;
      list.replaceChildren(...(await response.json()).map(match => {
        const option = document.createElement("option");
        option.value = match.name;
        option.label = `${match.name} (${match.quotes} quotations)`;
        return option;
      }));
    }, 150);
  });
});

// Search: the facets and timeline are counted by a second request, so the results show at once.
document.addEventListener("DOMContentLoaded", async () => {
  const slot = document.getElementById("facets-slot");
  if (!slot || document.getElementById("counted")) return;
  const response = await fetch(slot.dataset.counts);
  if (!response.ok) return;
  const counts = new DOMParser().parseFromString(await response.text(), "text/html");
  for (const part of counts.querySelectorAll("[data-slot]")) {
    document.getElementById(part.dataset.slot).replaceChildren(...part.childNodes);
  }
  const counted = document.getElementById("counted");
  document.getElementById("total").textContent = counted.dataset.total;
  document.getElementById("span").textContent = counted.dataset.span;
});
