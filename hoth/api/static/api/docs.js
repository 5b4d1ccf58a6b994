// Starts Swagger UI on the API reference page. A separate file rather than an
// inline script, so that the page works under script-src 'self'.
(function () {
  "use strict";
  var element = document.getElementById("swagger-ui");
  if (!element || typeof window.SwaggerUIBundle !== "function") {
    return;
  }
  window.ui = window.SwaggerUIBundle({
    url: element.getAttribute("data-schema-url"),
    dom_id: "#swagger-ui",
    deepLinking: true,
    presets: [window.SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
    // Calls from this page use the signed-in session; the browser sends the
    // session cookie only to this service.
    withCredentials: true,
    // No third-party validator: the page must not call out to the internet.
    validatorUrl: null
  });
})();
