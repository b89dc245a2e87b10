import { createId, isId } from "@/lib/util/ids";

describe("createId", () => {
  it("makes ids that sort newest first", () => {
    const older = createId(1_700_000_000_000);
    const newer = createId(1_700_000_000_001);
    expect(isId(older)).toBe(true);
    expect(isId(newer)).toBe(true);
    expect([older, newer].sort()).toEqual([newer, older]);
  });

  it("rejects anything else", () => {
    expect(isId("../etc/passwd")).toBe(false);
    expect(isId("ABCDEFGHIJKLMNOPQ")).toBe(false);
  });
});
