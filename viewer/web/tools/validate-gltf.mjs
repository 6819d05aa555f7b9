#!/usr/bin/env node
// Validate a .glb/.gltf file with the Khronos glTF validator (npm `gltf-validator`).
// Usage: node tools/validate-gltf.mjs FILE
// Prints the report's summary as JSON (issue counts, the issues themselves, asset info) and
// exits 1 on any error or warning, 2 on bad usage or an unreadable file; infos and hints pass.
import { readFile } from "node:fs/promises";
import path from "node:path";
import validator from "gltf-validator";

const file = process.argv[2];
if (!file) {
  console.error("usage: node tools/validate-gltf.mjs FILE.glb");
  process.exit(2);
}

let bytes;
try {
  bytes = new Uint8Array(await readFile(file));
} catch (err) {
  console.error(`cannot read ${file}: ${err.message}`);
  process.exit(2);
}

const report = await validator.validateBytes(bytes, {
  uri: path.basename(file),
  maxIssues: 0, // unlimited
  writeTimestamp: false,
  // external resources (a .gltf's .bin) are read next to the file
  externalResourceFunction: (uri) =>
    readFile(path.resolve(path.dirname(file), decodeURIComponent(uri))).then(
      (data) => new Uint8Array(data),
    ),
});

const { numErrors, numWarnings, numInfos, numHints, messages, truncated } = report.issues;
const summary = {
  uri: report.uri,
  validatorVersion: report.validatorVersion,
  mimeType: report.mimeType,
  numErrors,
  numWarnings,
  numInfos,
  numHints,
  truncated,
  messages,
  info: report.info,
};
console.log(JSON.stringify(summary, null, 2));
process.exit(numErrors > 0 || numWarnings > 0 ? 1 : 0);
