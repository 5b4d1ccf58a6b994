// The public directory needs only GOV.UK Frontend (Exit this page, error
// summary); it must not load the staff script, which knows about sessions.
import * as govuk from "../vendor/govuk/govuk-frontend.min.js";

govuk.initAll();
