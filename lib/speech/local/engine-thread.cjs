// Entry of the thread that runs the local engine: TypeScript sources load through tsx, as in the
// main thread.
require("tsx/cjs");
require("./engine-thread.ts");
