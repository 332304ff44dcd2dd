import type { ReactNode } from "react";

/** A screen's heading, its actions and its content; `wide` for screens that draw (a graph). */
export function Page({
  title,
  actions,
  wide = false,
  children,
}: {
  title: string;
  actions?: ReactNode;
  wide?: boolean;
  children: ReactNode;
}) {
  return (
    <section aria-labelledby="page-title" className={`mx-auto flex ${wide ? "max-w-7xl" : "max-w-5xl"} flex-col gap-6`}>
      <div className="flex items-center justify-between">
        <h1 id="page-title" className="text-2xl font-semibold">
          {title}
        </h1>
        {actions}
      </div>
      {children}
    </section>
  );
}
