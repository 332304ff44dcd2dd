import { describe, expect, it } from "vitest";

import {
  enrollSummary,
  outreachColour,
  parseEmails,
  parseLeadIds,
  pausedNote,
  replyKindLabel,
  showsDetail,
  skipReason,
  stepLabel,
} from "./outreach";

const A = "0192f0c4-0000-7000-8000-00000000000a";
const B = "0192F0C4-0000-7000-8000-00000000000B";

describe("parseLeadIds", () => {
  it("reads ids one a line or separated by commas, each once, and names what is not an id", () => {
    expect(parseLeadIds(`${A}\n${B}, ${A}\n\nnot-an-id`)).toEqual({ ids: [A, B.toLowerCase()], invalid: ["not-an-id"] });
    expect(parseLeadIds("  ")).toEqual({ ids: [], invalid: [] });
  });
});

describe("parseEmails", () => {
  it("reads addresses one a line, trimmed, each once", () => {
    expect(parseEmails(" a@x.test\nb@x.test; c@x.test\n\na@x.test ")).toEqual(["a@x.test", "b@x.test", "c@x.test"]);
  });
});

describe("labels and colours", () => {
  it("counts steps and variants as people do", () => {
    expect(stepLabel(0)).toBe("Step 1");
    expect(stepLabel(1, 1)).toBe("Step 2 · B");
  });

  it("explains skip reasons, keeping unknown ones as they are", () => {
    expect(skipReason("no_email")).toBe("has no email address");
    expect(skipReason("something_new")).toBe("something_new");
  });

  it("colours a status, grey when unknown", () => {
    expect(outreachColour("sent")).toBe("#16a34a");
    expect(outreachColour("bounced")).toBe("#dc2626");
    expect(outreachColour("whatever")).toBe("#64748b");
  });
});

describe("what came back", () => {
  it("names each kind, keeping an unknown one as it is", () => {
    expect(replyKindLabel("auto_reply")).toBe("Auto-reply");
    expect(replyKindLabel("complaint")).toBe("Complaint");
    expect(replyKindLabel("something_new")).toBe("something_new");
  });

  it("colours replies green and bounces and complaints red", () => {
    expect(outreachColour("reply")).toBe("#16a34a");
    expect(outreachColour("bounce")).toBe("#dc2626");
    expect(outreachColour("complaint")).toBe("#dc2626");
  });

  it("shows why for bounces and complaints only, when the server said", () => {
    expect(showsDetail({ kind: "bounce", detail: "5.1.1 user unknown" })).toBe(true);
    expect(showsDetail({ kind: "complaint", detail: "Postmark: spam complaint" })).toBe(true);
    expect(showsDetail({ kind: "bounce", detail: null })).toBe(false);
    expect(showsDetail({ kind: "auto_reply", detail: "Auto-Submitted: auto-replied" })).toBe(false);
  });
});

describe("pausedNote", () => {
  const reason = "bounce rate 3.1% (5 of 160 in 30 days) passed 2.0%";

  it("says why something paused by itself", () => {
    expect(pausedNote("paused", reason)).toBe(`Paused automatically: ${reason}`);
  });

  it("says nothing for a pause by hand, or once it runs again", () => {
    expect(pausedNote("paused", null)).toBeNull();
    expect(pausedNote("paused", "")).toBeNull();
    expect(pausedNote("active", reason)).toBeNull();
  });
});

describe("enrollSummary", () => {
  const skip = (reason: string, n: number) => ({ lead_id: `${reason}-${n}`, reason });

  it("counts the enrolled, and the skipped by why, suppressions together", () => {
    expect(
      enrollSummary({
        enrolled: [A, B],
        skipped: [
          skip("already_enrolled", 1),
          skip("no_email", 1),
          skip("unsubscribed", 1),
          skip("already_enrolled", 2),
          skip("bounced", 1),
          skip("manual", 1),
        ],
      }),
    ).toBe("2 enrolled; 6 skipped (1 without an email, 2 already in the campaign, 3 suppressed).");
  });

  it("names only the reasons that occurred, an unknown one as it is", () => {
    expect(enrollSummary({ enrolled: [], skipped: [skip("something_new", 1), skip("not_found", 1)] })).toBe(
      "0 enrolled; 2 skipped (1 no longer found, 1 something_new).",
    );
  });

  it("says nothing of skipping when none was", () => {
    expect(enrollSummary({ enrolled: [A], skipped: [] })).toBe("1 enrolled.");
  });
});
