import { describe, expect, it } from "vitest";

import { layoutLineage, LAYERS, NODE_HEIGHT, NODE_WIDTH, type Layer } from "./lineage";

type N = { id: string };
const tree = (layers: Partial<Record<Layer, string[]>>) =>
  Object.fromEntries(LAYERS.map((l) => [l, (layers[l] ?? []).map((id) => ({ id }))])) as Record<Layer, N[]>;
const edge = (from: string, to: string) => ({ from, to });

/** The fashion shop of the browser test: three sources, their silver tables, two models, a CRM. */
const shop = {
  trees: tree({
    bronze: ["orders_raw", "customers_raw", "products_raw"],
    silver: ["orders", "customers", "products"],
    gold: ["sales_by_day", "churn"],
    destination: ["crm"],
  }),
  edges: [
    edge("orders_raw", "orders"),
    edge("customers_raw", "customers"),
    edge("products_raw", "products"),
    edge("orders", "sales_by_day"),
    edge("products", "sales_by_day"),
    edge("orders", "churn"),
    edge("customers", "churn"),
    edge("churn", "crm"),
  ],
};

const xOf = (layout: ReturnType<typeof layoutLineage<N>>) => Object.fromEntries(layout.nodes.map((n) => [n.id, n.x]));

function overlaps(layout: ReturnType<typeof layoutLineage<N>>) {
  const found: string[] = [];
  for (const a of layout.nodes) {
    for (const b of layout.nodes) {
      if (a.id < b.id && Math.abs(a.x - b.x) < NODE_WIDTH && Math.abs(a.y - b.y) < NODE_HEIGHT) found.push(`${a.id}/${b.id}`);
    }
  }
  return found;
}

describe("layoutLineage", () => {
  it("lays the layers out left to right: bronze, silver, gold, destination", () => {
    const layout = layoutLineage(shop);
    const x = xOf(layout);
    expect(new Set([x.orders_raw, x.customers_raw, x.products_raw]).size).toBe(1);
    expect(x.orders_raw).toBeLessThan(x.orders!);
    expect(x.orders).toBeLessThan(x.sales_by_day!);
    expect(x.churn).toBe(x.sales_by_day);
    expect(x.sales_by_day).toBeLessThan(x.crm!);
    expect(layout.bands.map((b) => b.layer)).toEqual(["bronze", "silver", "gold", "destination"]);
    expect(layout.nodes.map((n) => n.layer).filter((l, i, all) => all.indexOf(l) === i)).toEqual([...LAYERS]);
  });

  it("places no node over another, from the top edge down", () => {
    const layout = layoutLineage(shop);
    expect(overlaps(layout)).toEqual([]);
    expect(Math.min(...layout.nodes.map((n) => n.y))).toBe(0);
    expect(layout.height).toBe(Math.max(...layout.nodes.map((n) => n.y)) + NODE_HEIGHT);
    // Three rows of sources, with the gaps between them.
    expect(layout.height).toBeGreaterThanOrEqual(3 * NODE_HEIGHT);
  });

  it("keeps a node in its layer's band even when nothing feeds it yet", () => {
    const x = xOf(layoutLineage({ trees: tree({ bronze: ["a"], silver: ["lonely"], gold: ["g"] }), edges: [edge("a", "g")] }));
    expect(x.a).toBeLessThan(x.lonely!);
    expect(x.lonely).toBeLessThan(x.g!);
  });

  it("spreads a chain inside one layer over that layer's columns", () => {
    const layout = layoutLineage({
      trees: tree({ bronze: ["raw"], silver: ["clean", "dedup"], gold: ["model"] }),
      edges: [edge("raw", "clean"), edge("clean", "dedup"), edge("dedup", "model")],
    });
    const x = xOf(layout);
    expect(x.raw! < x.clean! && x.clean! < x.dedup! && x.dedup! < x.model!).toBe(true);
    const silver = layout.bands.find((b) => b.layer === "silver")!;
    expect(silver.x).toBe(x.clean);
    expect(silver.x + silver.width).toBe(x.dedup! + NODE_WIDTH);
  });

  it("drops edges to unknown nodes, loops and repeats", () => {
    const layout = layoutLineage({
      trees: tree({ bronze: ["a"], silver: ["b"] }),
      edges: [edge("a", "b"), edge("a", "b"), edge("a", "ghost"), edge("b", "b")],
    });
    expect(layout.edges).toEqual([{ id: "a->b", source: "a", target: "b" }]);
  });

  it("keeps a heading for every layer of an empty project", () => {
    const layout = layoutLineage({ trees: tree({}), edges: [] });
    expect(layout.nodes).toEqual([]);
    expect(layout.height).toBe(0);
    expect(layout.bands.map((b) => [b.layer, b.x > 0 || b.layer === "bronze"])).toEqual(
      LAYERS.map((l) => [l, true]),
    );
  });

  it("gives the same layout for the same document", () => {
    expect(layoutLineage(shop)).toEqual(layoutLineage(shop));
  });
});
