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
