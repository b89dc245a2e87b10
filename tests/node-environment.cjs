// Jest's node environment gives each test file its own typed-array constructors, which native
// addons (onnxruntime-node) and Node's Buffer do not recognise; share the real ones.
const { TestEnvironment } = require("jest-environment-node");

const shared = [
  "ArrayBuffer",
  "SharedArrayBuffer",
  "Uint8Array",
  "Uint8ClampedArray",
  "Int8Array",
  "Uint16Array",
  "Int16Array",
  "Uint32Array",
  "Int32Array",
  "Float32Array",
  "Float64Array",
  "BigInt64Array",
  "BigUint64Array",
  "DataView",
];

class SharedTypedArrayEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    for (const name of shared) this.global[name] = globalThis[name];
  }
}

module.exports = SharedTypedArrayEnvironment;
