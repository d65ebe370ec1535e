// Start Swagger UI on the ledger's own OpenAPI document (no inline script: the CSP forbids it).
window.addEventListener("load", function () {
  var node = document.getElementById("swagger-ui");
  window.SwaggerUIBundle({ url: node.dataset.specUrl, dom_id: "#swagger-ui" });
});
