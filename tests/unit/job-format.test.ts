// The wording of a job row: stage labels whose number is the bar's, ordinals, time left, elapsed.
import {
  describeElapsed,
  describeStage,
  estimateSecondsLeft,
  formatOrdinal,
  formatSeconds,
  formatTimeLeft,
} from "@/components/transcriber/job-format";
import type { JobRow } from "@/components/transcriber/use-jobs";

const row = (patch: Partial<JobRow>): JobRow => ({
  key: "k",
  title: "Meeting",
  source: "upload",
  status: "running",
  stage: "transcribing",
  progress: 0,
  alert: false,
  canRetry: false,
  reveal: false,
  since: 0,
  ...patch,
});

describe("job row wording", () => {
  it("labels a stage with the same whole percentage its bar fills to", () => {
    for (const progress of [0, 0.004, 0.376, 0.999, 1]) {
      const view = describeStage(row({ progress }));
      expect(view.label).toBe(`Transcribing ${view.percent} %`);
      expect(view.percent).toBe(Math.floor(progress * 100));
    }
    expect(describeStage(row({ status: "uploading", progress: 0.4 })).label).toBe("Uploading 40 %");
    expect(describeStage(row({ status: "queued", position: 2 })).label).toBe("Queued · 2nd in line");
    expect(describeStage(row({ stage: "decoding" }))).toMatchObject({
      label: "Decoding audio",
      indeterminate: true,
    });
    expect(describeStage(row({ status: "failed", error: "Not audio." }))).toMatchObject({
      label: "Failed: Not audio.",
      bar: false,
    });
    expect(describeStage(row({ status: "succeeded", progress: 1 }))).toMatchObject({
      label: "Done",
      percent: 100,
    });
  });

  it("writes ordinals, durations and time left", () => {
    expect([1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 101].map(formatOrdinal)).toEqual([
      "1st",
      "2nd",
      "3rd",
      "4th",
      "11th",
      "12th",
      "13th",
      "21st",
      "22nd",
      "23rd",
      "101st",
    ]);
    expect([7, 65, 3725].map(formatSeconds)).toEqual(["0:07", "1:05", "1:02:05"]);
    expect([4, 42, 75, 7200].map(formatTimeLeft)).toEqual([
      "a few seconds left",
      "about 45 s left",
      "about 1 min left",
      "about 2 h left",
    ]);
  });

  it("estimates time left from the server, else from the pace once it can be trusted", () => {
    expect(estimateSecondsLeft(row({ progress: 0.5, etaSec: 30 }), 0)).toBe(30);
    expect(estimateSecondsLeft(row({ status: "uploading", progress: 0.25, phaseStartedAt: 0 }), 10_000)).toBe(
      30,
    );
    expect(
      estimateSecondsLeft(row({ status: "uploading", progress: 0.01, phaseStartedAt: 0 }), 10_000),
    ).toBeUndefined();
    expect(estimateSecondsLeft(row({ status: "queued" }), 10_000)).toBeUndefined();
    expect(describeElapsed(row({ status: "succeeded", since: 0, finishedAt: 14_000 }), 99_000)).toBe(
      "took 0:14",
    );
    expect(describeElapsed(row({ since: 0 }), 12_000)).toBe("0:12");
  });
});
