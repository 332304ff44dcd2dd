// Renders a TanStack table driven by Refine's useTable (server-side paging and sorting):
// sortable headers are buttons that announce their order, and the pager says where it is.
import { flexRender, type Table } from "@tanstack/react-table";

interface DataTableProps<T> {
  table: Table<T>;
  caption: string;
  loading: boolean;
  /** Why the rows could not be read (a 403, the server down), shown in their place. */
  error?: string | undefined;
  empty: string;
}

export function DataTable<T>({ table, caption, loading, error, empty }: DataTableProps<T>) {
  const rows = table.getRowModel().rows;
  const columns = table.getAllLeafColumns().length;
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
      <table className="min-w-full divide-y divide-slate-200 text-sm" aria-busy={loading}>
        <caption className="sr-only">{caption}</caption>
        <thead className="bg-slate-50 text-left text-xs font-semibold tracking-wide text-slate-600 uppercase">
          {table.getHeaderGroups().map((group) => (
            <tr key={group.id}>
              {group.headers.map((header) => {
                const sorted = header.column.getIsSorted();
                const label = flexRender(header.column.columnDef.header, header.getContext());
                return (
                  <th
                    key={header.id}
                    scope="col"
                    className="px-4 py-2"
                    aria-sort={sorted === "asc" ? "ascending" : sorted === "desc" ? "descending" : undefined}
                  >
                    {header.column.getCanSort() ? (
                      <button
                        type="button"
                        className="inline-flex items-center gap-1 uppercase"
                        onClick={header.column.getToggleSortingHandler()}
                      >
                        {label}
                        <span aria-hidden="true">{sorted === "asc" ? "▲" : sorted === "desc" ? "▼" : "↕"}</span>
                      </button>
                    ) : (
                      label
                    )}
                  </th>
                );
              })}
            </tr>
          ))}
        </thead>
        <tbody className="divide-y divide-slate-100">
          {rows.map((row) => (
            <tr key={row.id}>
              {row.getVisibleCells().map((cell) => (
                <td key={cell.id} className="px-4 py-2 align-middle">
                  {flexRender(cell.column.columnDef.cell, cell.getContext())}
                </td>
              ))}
            </tr>
          ))}
          {rows.length === 0 && (
            <tr>
              {error ? (
                <td colSpan={columns} role="alert" className="px-4 py-6 text-center text-red-700">
                  {error}
                </td>
              ) : (
                <td colSpan={columns} className="px-4 py-6 text-center text-slate-500">
                  {loading ? "Loading…" : empty}
                </td>
              )}
            </tr>
          )}
        </tbody>
      </table>
      <Pager table={table} />
    </div>
  );
}

function Pager<T>({ table }: { table: Table<T> }) {
  const { pageIndex } = table.getState().pagination;
  const pages = Math.max(table.getPageCount(), 1);
  return (
    <nav aria-label="Pages" className="flex items-center justify-end gap-3 border-t border-slate-200 px-4 py-2 text-sm">
      <button
        type="button"
        className="disabled:text-slate-400"
        disabled={!table.getCanPreviousPage()}
        onClick={() => table.previousPage()}
      >
        Previous
      </button>
      <span aria-live="polite">
        Page {pageIndex + 1} of {pages}
      </span>
      <button
        type="button"
        className="disabled:text-slate-400"
        disabled={!table.getCanNextPage()}
        onClick={() => table.nextPage()}
      >
        Next
      </button>
    </nav>
  );
}
