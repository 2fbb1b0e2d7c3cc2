// Swagger UI from the package's own copy (no CDN); a file, not inline, for the Content-Security-Policy.
window.addEventListener("DOMContentLoaded", () => {
  window.ui = SwaggerUIBundle({ url: "/openapi.json", dom_id: "#swagger-ui" });
});
