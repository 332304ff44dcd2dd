import type { ReactNode } from "react";

/** The frame of the signed-out screens: a titled card with links below it. */
export function AuthCard({ title, children, footer }: { title: string; children: ReactNode; footer?: ReactNode }) {
  return (
    <main className="flex min-h-screen items-center justify-center px-4">
      <div className="w-full max-w-sm">
        <p className="mb-6 text-center text-xl font-semibold text-indigo-700">DataFortress</p>
        <section aria-labelledby="auth-title" className="rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
          <h1 id="auth-title" className="mb-4 text-lg font-semibold">
            {title}
          </h1>
          {children}
        </section>
        {footer && <div className="mt-4 flex flex-col items-center gap-1 text-sm">{footer}</div>}
      </div>
    </main>
  );
}
