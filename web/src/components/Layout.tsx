// The frame of the signed-in screens: the navigation (the screens the user may read, those of
// a group under its heading) and the header with who is signed in.
import { useGetIdentity, useLogout } from "@refinedev/core";
import type { ReactNode } from "react";
import { NavLink } from "react-router";

import { holds } from "../lib/scopes";
import type { Identity } from "../providers/auth";
import { resources } from "../resources";
import { Button } from "./Button";

export function Layout({ children }: { children: ReactNode }) {
  const { data: identity } = useGetIdentity<Identity>();
  const { mutate: logout } = useLogout();
  const visible = resources.filter((r) => holds(identity, r.meta.scope));
  const groupOf = (r: (typeof visible)[number]) => ("group" in r.meta ? r.meta.group : undefined);
  const ungrouped = visible.filter((r) => !groupOf(r));
  const groups = [...new Set(visible.map(groupOf).filter((g): g is string => Boolean(g)))];

  return (
    <div className="flex min-h-screen">
      <nav aria-label="Main" className="w-56 shrink-0 border-r border-slate-200 bg-white px-3 py-4">
        <p className="mb-4 px-2 text-lg font-semibold text-indigo-700">DataFortress</p>
        <NavList items={ungrouped} />
        {groups.map((group) => (
          <div key={group} className="mt-4">
            <p id={`nav-${group}`} className="mb-1 px-2 text-xs font-semibold tracking-wide text-slate-500 uppercase">
              {group}
            </p>
            <NavList items={visible.filter((r) => groupOf(r) === group)} labelledBy={`nav-${group}`} />
          </div>
        ))}
      </nav>
      <div className="flex min-w-0 flex-1 flex-col">
        <header className="flex items-center justify-end gap-4 border-b border-slate-200 bg-white px-6 py-3 text-sm">
          {identity && (
            <p data-testid="identity">
              <span className="font-medium">{identity.name}</span>{" "}
              <span className="text-slate-500">
                ({identity.role}, {identity.tenant.name})
              </span>
            </p>
          )}
          <Button variant="secondary" onClick={() => logout()}>
            Sign out
          </Button>
        </header>
        <main className="flex-1 px-6 py-6">{children}</main>
      </div>
    </div>
  );
}

function NavList({ items, labelledBy }: { items: { name: string; list: string; meta: { label: string } }[]; labelledBy?: string }) {
  return (
    <ul className="flex flex-col gap-1" aria-labelledby={labelledBy}>
      {items.map((resource) => (
        <li key={resource.name}>
          <NavLink
            to={resource.list}
            className="block rounded-md px-2 py-1.5 text-sm hover:bg-slate-100 aria-[current=page]:bg-indigo-50 aria-[current=page]:font-medium aria-[current=page]:text-indigo-800"
          >
            {resource.meta.label}
          </NavLink>
        </li>
      ))}
    </ul>
  );
}
