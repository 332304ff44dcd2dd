import { describe, expect, it } from "vitest";

import { columns, moveRequest } from "./board";
import type { Lead } from "./leads";

const lead = (id: string, stage_id: string | null, version = 1) => ({ id, stage_id, version }) as Lead;

describe("columns", () => {
  const leads = [lead("a", "s1"), lead("b", "s1"), lead("c", "s2"), lead("d", null)];

  it("groups leads by stage in the server's order", () => {
    const board = columns(leads, ["s1", "s2", "s3"], {});
    expect(board.get("s1")?.map((l) => l.id)).toEqual(["a", "b"]);
    expect(board.get("s2")?.map((l) => l.id)).toEqual(["c"]);
    expect(board.get("s3")).toEqual([]);
  });

  it("shows a pending move at the bottom of its new stage, and rolls back without it", () => {
    const moved = columns(leads, ["s1", "s2"], { a: "s2" });
    expect(moved.get("s1")?.map((l) => l.id)).toEqual(["b"]);
    expect(moved.get("s2")?.map((l) => l.id)).toEqual(["c", "a"]);
    expect(columns(leads, ["s1", "s2"], {}).get("s1")?.map((l) => l.id)).toEqual(["a", "b"]);
  });

  it("keeps a lead once the server confirms the stage it was moved to", () => {
    const confirmed = [lead("a", "s2"), lead("c", "s2")];
    expect(columns(confirmed, ["s1", "s2"], { a: "s2" }).get("s2")?.map((l) => l.id)).toEqual(["a", "c"]);
  });
});

describe("moveRequest", () => {
  it("asks for the stage with the version, or nothing for the same stage", () => {
    expect(moveRequest(lead("a", "s1", 4), "s2")).toEqual({ stage_id: "s2", version: 4 });
    expect(moveRequest(lead("a", "s1"), "s1")).toBeNull();
  });
});
