import type { DefinitionError } from "../../lib/flows";

/** A definition's errors, each with the state it is in and its JSON pointer (the states are
 * also marked in the graph). */
export function DefinitionErrors({ errors, title }: { errors: DefinitionError[]; title: string }) {
  if (errors.length === 0) return null;
  return (
    <section aria-label={title} className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
      <p className="font-medium">{title}</p>
      <ul className="mt-1 flex flex-col gap-1">
        {errors.map((e, i) => (
          <li key={`${e.path}-${i}`}>
            <span className="font-semibold">{e.state ?? "Definition"}</span>{" "}
            <code className="text-xs text-red-700">{e.path}</code>: {e.message}
          </li>
        ))}
      </ul>
    </section>
  );
}
