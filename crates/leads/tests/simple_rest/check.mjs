// The stock @refinedev/simple-rest data provider against the running leads API: getList with
// paging, sort, filters and total; getOne; getMany; create; update; deleteOne. Every call is
// the provider's own, unmodified; only the axios instance carries the API key. Exits non-zero
// (with the failed assertion) when the API does not answer as the provider expects.
//
// Usage: API_URL=http://127.0.0.1:PORT/api/v1 API_KEY=dfk_… node check.mjs
import assert from "node:assert/strict";
import dataProvider from "@refinedev/simple-rest";
import axios from "axios";

const apiUrl = process.env.API_URL;
const apiKey = process.env.API_KEY;
assert.ok(apiUrl && apiKey, "API_URL and API_KEY are required");
const http = axios.create({ headers: { Authorization: `Bearer ${apiKey}` } });
const provider = dataProvider(apiUrl, http);
const resource = "leads";

const people = [
  { first_name: "Ada", email: "ada@simple.example", status: "New", score: 90 },
  { first_name: "Bob", email: "bob@simple.example", status: "New", score: 40 },
  { first_name: "Cy", email: "cy@simple.example", status: "Dead", score: 70 },
  { first_name: "Di", email: "di@simple.example", status: "New", score: 60 },
];
const created = [];
for (const variables of people) {
  const { data } = await provider.create({ resource, variables });
  assert.equal(data.email, variables.email);
  created.push(data);
}

// getList: second page of 2, sorted by score descending, status = New, with the total.
const page = await provider.getList({
  resource,
  pagination: { currentPage: 2, pageSize: 2, mode: "server" },
  sorters: [{ field: "score", order: "desc" }],
  filters: [{ field: "status", operator: "eq", value: "New" }],
});
assert.equal(page.total, 3, "three New leads in all");
assert.deepEqual(
  page.data.map((l) => l.first_name),
  ["Bob"],
  "page 2 of [Ada 90, Di 60, Bob 40]",
);
const like = await provider.getList({
  resource,
  filters: [{ field: "email", operator: "contains", value: "SIMPLE.example" }],
  sorters: [{ field: "first_name", order: "asc" }],
});
assert.equal(like.total, 4);
assert.deepEqual(
  like.data.map((l) => l.first_name),
  ["Ada", "Bob", "Cy", "Di"],
);
const ranged = await provider.getList({
  resource,
  filters: [
    { field: "score", operator: "gte", value: 60 },
    { field: "score", operator: "lte", value: 80 },
    { field: "status", operator: "ne", value: "Dead" },
  ],
});
assert.deepEqual(
  ranged.data.map((l) => l.first_name),
  ["Di"],
);

// getOne and getMany.
const one = await provider.getOne({ resource, id: created[0].id });
assert.equal(one.data.first_name, "Ada");
const many = await provider.getMany({ resource, ids: [created[1].id, created[2].id] });
assert.deepEqual(many.data.map((l) => l.first_name).sort(), ["Bob", "Cy"]);

// update (PATCH) and deleteOne.
const updated = await provider.update({
  resource,
  id: created[1].id,
  variables: { status: "In Process", score: 55 },
});
assert.equal(updated.data.status, "In Process");
assert.equal(updated.data.version, 2);
const deleted = await provider.deleteOne({ resource, id: created[3].id });
assert.equal(deleted.data.id, created[3].id);
const after = await provider.getList({ resource });
assert.equal(after.total, 3, "the deleted lead left the list");

// A refused write rejects with the problem document (our axios instance has no interceptor,
// so the error is axios's own).
await assert.rejects(
  provider.create({ resource, variables: { email: "ada@simple.example" } }),
  (err) => err.response?.status === 409 && err.response.data.code === "duplicate_email",
);

console.log(JSON.stringify({ ok: true, checks: 12 }));
