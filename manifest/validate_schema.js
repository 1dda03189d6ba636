// node manifest/validate_schema.js <manifest.json> <schema.json>: a second, independent schema check.
// Same Ajv set-up as ManifestUtil.validateManifestAgainstSchema in @microsoft/app-manifest 1.1.2;
// that package's own entry point cannot be required (it needs fs-extra, which it does not declare).
// Offline: the schema is read from disk. Prints the errors as JSON; exit code 1 when invalid.
"use strict";
const fs = require("fs");
const Ajv = require("ajv-draft-04");
const addFormats = require("ajv-formats");

const [manifest, schema] = process.argv.slice(2).map((path) => JSON.parse(fs.readFileSync(path, "utf8")));
const ajv = new Ajv({ allErrors: true, strictTypes: false });
addFormats(ajv, ["uri", "email", "regex"]);
const validate = ajv.compile(schema);
const valid = validate(manifest);
process.stdout.write(JSON.stringify(valid ? [] : validate.errors) + "\n");
process.exit(valid ? 0 : 1);
