// Tabs as the WAI-ARIA pattern has them: a tablist of buttons (arrow keys, Home and End move
// between them), one panel shown, labelled by its tab. Only the shown panel is mounted, so a
// tab's requests start when it is opened.
import { useId, useRef, type KeyboardEvent, type ReactNode } from "react";

export interface Tab {
  id: string;
  label: string;
  panel: () => ReactNode;
}

interface TabsProps {
  /** Names the tablist for screen readers ("Project sections"). */
  label: string;
  tabs: Tab[];
  selected: string;
  onSelect: (id: string) => void;
}

export function Tabs({ label, tabs, selected, onSelect }: TabsProps) {
  const base = useId();
  const buttons = useRef<(HTMLButtonElement | null)[]>([]);
  const current = Math.max(
    tabs.findIndex((t) => t.id === selected),
    0,
  );

  const move = (e: KeyboardEvent, index: number) => {
    const last = tabs.length - 1;
    const next = { ArrowRight: index === last ? 0 : index + 1, ArrowLeft: index === 0 ? last : index - 1, Home: 0, End: last }[
      e.key
    ];
    const tab = next === undefined ? undefined : tabs[next];
    if (next === undefined || !tab) return;
    e.preventDefault();
    onSelect(tab.id);
    buttons.current[next]?.focus();
  };

  const shown = tabs[current];
  return (
    <div className="flex flex-col gap-4">
      <div role="tablist" aria-label={label} className="flex gap-1 border-b border-slate-200">
        {tabs.map((tab, index) => (
          <button
            key={tab.id}
            ref={(el) => {
              buttons.current[index] = el;
            }}
            type="button"
            role="tab"
            id={`${base}-tab-${tab.id}`}
            aria-selected={index === current}
            aria-controls={`${base}-panel-${tab.id}`}
            tabIndex={index === current ? 0 : -1}
            onClick={() => onSelect(tab.id)}
            onKeyDown={(e) => move(e, index)}
            className="-mb-px border-b-2 border-transparent px-3 py-2 text-sm font-medium text-slate-600 hover:text-slate-900 aria-selected:border-indigo-600 aria-selected:text-indigo-700"
          >
            {tab.label}
          </button>
        ))}
      </div>
      {shown && (
        <div role="tabpanel" id={`${base}-panel-${shown.id}`} aria-labelledby={`${base}-tab-${shown.id}`} tabIndex={0}>
          {shown.panel()}
        </div>
      )}
    </div>
  );
}
