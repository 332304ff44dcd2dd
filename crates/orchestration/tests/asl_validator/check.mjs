// Validates every file of the ASL conformance corpus (tests/asl/{valid,invalid}) with the
// reference `asl-validator` package and prints one JSON object: { "<valid|invalid>/<file>": bool }.
// The Rust test `asl_validator_agrees_with_our_validator` compares it with our validator.
//
// ARN checking is off: DataFortress task resources are product URIs such as `airbyte:sync`,
// which the States Language allows ("a URI") but asl-validator's default AWS-ARN check refuses.
// Optional argument: a single JSON file to validate (prints {"<file>": bool}), used for the
// built-in pipeline template.
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const validator = require("asl-validator");
const options = { checkPaths: true, checkArn: false };

const corpus = join(dirname(fileURLToPath(import.meta.url)), "..", "asl");
const verdicts = {};
const explain = process.env.ASL_VALIDATOR_EXPLAIN === "1";

function check(label, text) {
  const { isValid, errorsText } = validator(JSON.parse(text), options);
  verdicts[label] = isValid;
  if (explain && !isValid) {
    process.stderr.write(`${label}: ${errorsText(" | ")}\n`);
  }
}

if (process.argv[2]) {
  check(process.argv[2], readFileSync(process.argv[2], "utf8"));
} else {
  for (const group of ["valid", "invalid"]) {
    for (const file of readdirSync(join(corpus, group)).sort()) {
      if (file.endsWith(".json")) {
        check(`${group}/${file}`, readFileSync(join(corpus, group, file), "utf8"));
      }
    }
  }
}
process.stdout.write(JSON.stringify(verdicts, null, 1) + "\n");
