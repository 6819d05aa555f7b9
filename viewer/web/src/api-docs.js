// Starts Swagger UI on /docs. Served from our own origin so the page needs no inline script
// and no CDN: swagger-ui-bundle.js comes from viewer/web/node_modules (npm ci, lockfile).
const root = document.getElementById('swagger-ui');
window.ui = window.SwaggerUIBundle({
  url: root.dataset.openapi,
  dom_id: '#swagger-ui',
  layout: 'BaseLayout',
  deepLinking: true,
  showExtensions: true,
  showCommonExtensions: true,
  validatorUrl: null, // never ask validator.swagger.io (another host) to check the document
  presets: [window.SwaggerUIBundle.presets.apis, window.SwaggerUIBundle.SwaggerUIStandalonePreset],
});
