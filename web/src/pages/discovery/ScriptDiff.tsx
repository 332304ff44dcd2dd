// A proposal's SQL against the project's script it would replace, line by line (jsdiff):
// removed lines red, added lines green, the rest as they are.
import { diffLines } from "diff";

export function ScriptDiff({ before, after, label }: { before: string; after: string; label: string }) {
  const parts = diffLines(before.trimEnd() + "\n", after.trimEnd() + "\n");
  return (
    <pre aria-label={label} className="max-h-96 overflow-auto rounded-md border border-slate-200 bg-slate-50 p-2 font-mono text-xs whitespace-pre-wrap">
      {parts.map((part, i) => {
        const look = part.added ? "bg-green-100 text-green-900" : part.removed ? "bg-red-100 text-red-900 line-through" : "text-slate-600";
        const mark = part.added ? "+ " : part.removed ? "- " : "  ";
        const lines = part.value.replace(/\n$/, "").split("\n");
        return (
          <span key={i} className={`block ${look}`} data-change={part.added ? "added" : part.removed ? "removed" : "same"}>
            {lines.map((line) => mark + line).join("\n")}
          </span>
        );
      })}
    </pre>
  );
}
