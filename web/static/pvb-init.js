// Start the NHS.UK frontend components (kept out of the page so the CSP forbids inline script).
import { initAll } from "./nhsuk/nhsuk-frontend.min.js";
initAll();
