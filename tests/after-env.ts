// A test file that started services stops them at its end (the worker loop, the storage clients).
afterAll(async () => {
  if (!(Symbol.for("transcribe.process-services") in globalThis)) return;
  const { stopProcessServices } = await import("@/lib/services");
  await stopProcessServices();
});
