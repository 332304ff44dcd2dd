import type { CrudFilter, CrudOperators, HttpError } from "@refinedev/core";
import { describe, expect, it } from "vitest";

import { decodedQuery, fakeApi, json, problem } from "../test/fake-api";
import { createDataProvider } from "./data";

function setup(handlers: Parameters<typeof fakeApi>[0] = {}) {
  const fake = fakeApi({
    "GET /api/v1/leads": () => json([{ id: "1" }, { id: "2" }], 200, { "x-total-count": "42" }),
    ...handlers,
  });
  return { ...fake, data: createDataProvider(fake.api) };
}

async function listQuery(filters: CrudFilter[]): Promise<string> {
  const { data, requests } = setup();
  await data.getList({ resource: "leads", filters });
  return decodedQuery(requests[0]!);
}

const PAGE = "pagination[currentPage]=1&pagination[pageSize]=10&pagination[mode]=server";

describe("data provider: lists", () => {
  it("sends pagination and sorters in the native encoding and reads X-Total-Count", async () => {
    const { data, requests } = setup();

    const result = await data.getList({
      resource: "leads",
      pagination: { currentPage: 3, pageSize: 25 },
      sorters: [
        { field: "score", order: "desc" },
        { field: "created_at", order: "asc" },
      ],
    });

    expect(result).toEqual({ data: [{ id: "1" }, { id: "2" }], total: 42 });
    expect(requests[0]!.method).toBe("GET");
    expect(requests[0]!.credentials).toBe("include");
    expect(decodedQuery(requests[0]!)).toBe(
      "pagination[currentPage]=3&pagination[pageSize]=25&pagination[mode]=server" +
        "&sorters[0][field]=score&sorters[0][order]=desc&sorters[1][field]=created_at&sorters[1][order]=asc",
    );
  });

  const scalar: [CrudOperators, unknown, string][] = [
    ["eq", "open", "open"],
    ["ne", "open", "open"],
    ["eqs", "Open", "Open"],
    ["nes", "Open", "Open"],
    ["lt", 5, "5"],
    ["gt", 5, "5"],
    ["lte", 5, "5"],
    ["gte", 50, "50"],
    ["contains", "acme", "acme"],
    ["ncontains", "acme", "acme"],
    ["containss", "Acme", "Acme"],
    ["ncontainss", "Acme", "Acme"],
    ["startswith", "ac", "ac"],
    ["nstartswith", "ac", "ac"],
    ["startswiths", "Ac", "Ac"],
    ["nstartswiths", "Ac", "Ac"],
    ["endswith", "me", "me"],
    ["nendswith", "me", "me"],
    ["endswiths", "Me", "Me"],
    ["nendswiths", "Me", "Me"],
  ];
  it.each(scalar)("encodes %s with its value", async (operator, value, sent) => {
    const query = await listQuery([{ field: "f", operator: operator as "eq", value }]);

    expect(query).toBe(`${PAGE}&filters[0][field]=f&filters[0][operator]=${operator}&filters[0][value]=${sent}`);
  });

  it.each(["in", "nin", "ina", "nina", "between", "nbetween"] as const)(
    "encodes %s with an indexed array value",
    async (operator) => {
      const query = await listQuery([{ field: "score", operator, value: [10, 20] }]);

      expect(query).toBe(
        `${PAGE}&filters[0][field]=score&filters[0][operator]=${operator}` +
          "&filters[0][value][0]=10&filters[0][value][1]=20",
      );
    },
  );

  it.each(["null", "nnull"] as const)("encodes %s without a value", async (operator) => {
    const query = await listQuery([{ field: "owner_id", operator, value: true }]);

    expect(query).toBe(`${PAGE}&filters[0][field]=owner_id&filters[0][operator]=${operator}`);
  });

  it("encodes nested or/and groups to any depth, without their keys", async () => {
    const query = await listQuery([
      {
        key: "outer",
        operator: "or",
        value: [
          { field: "status", operator: "eq", value: "open" },
          {
            key: "inner",
            operator: "and",
            value: [
              { field: "score", operator: "gte", value: 50 },
              { field: "owner_id", operator: "null", value: undefined },
            ],
          },
        ],
      },
      { field: "tags", operator: "eq", value: "vip" },
    ]);

    expect(query).toBe(
      `${PAGE}&filters[0][operator]=or` +
        "&filters[0][value][0][field]=status&filters[0][value][0][operator]=eq&filters[0][value][0][value]=open" +
        "&filters[0][value][1][operator]=and" +
        "&filters[0][value][1][value][0][field]=score&filters[0][value][1][value][0][operator]=gte" +
        "&filters[0][value][1][value][0][value]=50" +
        "&filters[0][value][1][value][1][field]=owner_id&filters[0][value][1][value][1][operator]=null" +
        "&filters[1][field]=tags&filters[1][operator]=eq&filters[1][value]=vip",
    );
  });

  it("sends a filter on `q` as the full-text search", async () => {
    const query = await listQuery([
      { field: "q", operator: "contains", value: "acme & co" },
      { field: "status", operator: "eq", value: "open" },
    ]);

    expect(query).toBe(`${PAGE}&q=acme & co&filters[0][field]=status&filters[0][operator]=eq&filters[0][value]=open`);
  });

  it("percent-encodes values, so `&` and `=` in a value stay in it", async () => {
    const { data, requests } = setup();

    await data.getList({ resource: "leads", filters: [{ field: "name", operator: "eq", value: "a&b=c" }] });

    expect(new URL(requests[0]!.url).searchParams.get("filters[0][value]")).toBe("a&b=c");
  });

  it("asks getMany for the ids in one unpaged list", async () => {
    const { data, requests } = setup();

    await data.getMany!({ resource: "leads", ids: ["a", "b"] });

    expect(decodedQuery(requests[0]!)).toBe(
      "pagination[currentPage]=1&pagination[pageSize]=10&pagination[mode]=off" +
        "&filters[0][field]=id&filters[0][operator]=in&filters[0][value][0]=a&filters[0][value][1]=b",
    );
  });
});

describe("data provider: records", () => {
  it("reads, creates, patches and deletes under /api/v1/<resource>", async () => {
    const { data, requests, calls } = setup({
      "GET /api/v1/members/u%201": () => json({ user_id: "u 1" }),
      "POST /api/v1/members/invitations": () => json({ id: "i1" }, 201),
      "PATCH /api/v1/members/u1": () => json({ user_id: "u1", role: "admin" }),
      "DELETE /api/v1/api-keys/k1": () => new Response(null, { status: 204 }),
    });

    expect((await data.getOne({ resource: "members", id: "u 1" })).data).toEqual({ user_id: "u 1" });
    const created = await data.create({
      resource: "members/invitations",
      variables: { email: "grace@acme.test", role: "member" },
    });
    const updated = await data.update({ resource: "members", id: "u1", variables: { role: "admin" } });
    const deleted = await data.deleteOne({ resource: "api-keys", id: "k1" });

    expect(created.data).toEqual({ id: "i1" });
    expect(updated.data).toEqual({ user_id: "u1", role: "admin" });
    expect(deleted.data).toEqual({ id: "k1" });
    expect(calls()).toEqual([
      "GET /api/v1/members/u%201",
      "POST /api/v1/members/invitations",
      "PATCH /api/v1/members/u1",
      "DELETE /api/v1/api-keys/k1",
    ]);
    expect(await requests[1]!.json()).toEqual({ email: "grace@acme.test", role: "member" });
    expect(requests[1]!.headers.get("content-type")).toBe("application/json");
    expect(await requests[2]!.json()).toEqual({ role: "admin" });
  });
});

describe("data provider: a resource served under another path", () => {
  it("lists, reads, creates, patches and deletes under its meta.apiPath", async () => {
    const { data, calls } = setup({
      "GET /api/v1/orchestration/flows": () => json([{ id: "f1" }], 200, { "x-total-count": "1" }),
      "GET /api/v1/orchestration/flows/f1": () => json({ id: "f1" }),
      "POST /api/v1/orchestration/flows": () => json({ id: "f2" }, 201),
      "PATCH /api/v1/orchestration/flows/f1": () => json({ id: "f1" }),
      "DELETE /api/v1/orchestration/flows/f1": () => new Response(null, { status: 204 }),
    });
    const meta = { apiPath: "orchestration/flows" };

    expect(await data.getList({ resource: "flows", meta })).toEqual({ data: [{ id: "f1" }], total: 1 });
    await data.getOne({ resource: "flows", id: "f1", meta });
    await data.create({ resource: "flows", variables: { name: "nightly" }, meta });
    await data.update({ resource: "flows", id: "f1", variables: { description: "" }, meta });
    await data.deleteOne({ resource: "flows", id: "f1", meta });

    expect(calls()).toEqual([
      "GET /api/v1/orchestration/flows",
      "GET /api/v1/orchestration/flows/f1",
      "POST /api/v1/orchestration/flows",
      "PATCH /api/v1/orchestration/flows/f1",
      "DELETE /api/v1/orchestration/flows/f1",
    ]);
  });
});

describe("data provider: updates", () => {
  it("replaces a record with PUT when its meta.updateMethod says so", async () => {
    const { data, calls } = setup({
      "PUT /api/v1/outreach/mailboxes/m1": () => json({ id: "m1" }),
    });

    await data.update({ resource: "outreach_mailboxes", id: "m1", variables: { name: "Sales" }, meta: { apiPath: "outreach/mailboxes", updateMethod: "put" } });

    expect(calls()).toEqual(["PUT /api/v1/outreach/mailboxes/m1"]);
  });
});

describe("data provider: errors", () => {
  it("turns a 422 into an HttpError whose field errors forms can show", async () => {
    const { data } = setup({
      "POST /api/v1/members/invitations": () =>
        problem(422, "validation_failed", "The request is not valid.", { email: ["must be a valid email address"] }),
    });

    const error = await data
      .create({ resource: "members/invitations", variables: { email: "nope" } })
      .catch((e: HttpError) => e);

    expect(error).toMatchObject({
      statusCode: 422,
      message: "The request is not valid.",
      errors: { email: ["must be a valid email address"] },
      code: "validation_failed",
    });
  });

  it("names the offending list parameter of a 400", async () => {
    const { data } = setup({
      "GET /api/v1/leads": () =>
        problem(400, "invalid_list_query", "unknown field", { "filters[0][field]": ["unknown field `nope`"] }),
    });

    const error = await data
      .getList({ resource: "leads", filters: [{ field: "nope", operator: "eq", value: 1 }] })
      .catch((e: HttpError) => e);

    expect(error).toMatchObject({ statusCode: 400, errors: { "filters[0][field]": ["unknown field `nope`"] } });
  });

  it("keeps the status of an answer that is not a problem document", async () => {
    const { data } = setup({ "GET /api/v1/leads": () => new Response("bad gateway", { status: 502 }) });

    await expect(data.getList({ resource: "leads" })).rejects.toMatchObject({
      statusCode: 502,
      message: "The server answered 502.",
    });
  });

  it("reports an unreachable server as status 0", async () => {
    const { data } = setup({
      "GET /api/v1/leads": () => {
        throw new TypeError("fetch failed");
      },
    });

    await expect(data.getList({ resource: "leads" })).rejects.toMatchObject({ statusCode: 0 });
  });
});

describe("client: expired sessions", () => {
  it("refreshes once and retries a request refused as unauthorized", async () => {
    let signedIn = false;
    const { data, calls, requests } = setup({
      "POST /api/v1/members/invitations": () =>
        signedIn ? json({ id: "i1" }, 201) : problem(401, "unauthorized", "The session has expired."),
      "POST /api/v1/auth/refresh": () => {
        signedIn = true;
        return json({ access_expires_at: new Date(Date.now() + 900_000).toISOString() });
      },
    });

    const result = await data.create({ resource: "members/invitations", variables: { email: "a@b.test" } });

    expect(result.data).toEqual({ id: "i1" });
    expect(calls()).toEqual([
      "POST /api/v1/members/invitations",
      "POST /api/v1/auth/refresh",
      "POST /api/v1/members/invitations",
    ]);
    expect(await requests[2]!.json()).toEqual({ email: "a@b.test" });
  });

  it("gives up with the 401 when the refresh is refused too", async () => {
    const { data, calls } = setup({
      "GET /api/v1/leads": () => problem(401, "unauthorized", "Sign in first."),
      "POST /api/v1/auth/refresh": () => problem(401, "unauthorized", "Sign in first."),
    });

    await expect(data.getList({ resource: "leads" })).rejects.toMatchObject({ statusCode: 401 });
    expect(calls()).toEqual(["GET /api/v1/leads", "POST /api/v1/auth/refresh"]);
  });

  it("does not refresh for a 401 that is about credentials, not the session", async () => {
    const { data, calls } = setup({
      "GET /api/v1/leads": () => problem(401, "invalid_api_key", "The API key is not valid."),
    });

    await expect(data.getList({ resource: "leads" })).rejects.toMatchObject({ statusCode: 401 });
    expect(calls()).toEqual(["GET /api/v1/leads"]);
  });
});
