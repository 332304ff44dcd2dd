// Refine's notification provider: messages from Refine (a failed save, a refused action, a
// successful sign-up) shown as toasts in a polite live region, closed by the user or after
// a few seconds.
import type { NotificationProvider, OpenNotificationParams } from "@refinedev/core";
import { useSyncExternalStore } from "react";

interface Toast {
  key: string;
  message: string;
  description?: string | undefined;
  type: OpenNotificationParams["type"];
}

const DISMISS_AFTER_MS = 6_000;

let toasts: Toast[] = [];
const listeners = new Set<() => void>();
let nextKey = 0;

function update(next: Toast[]) {
  toasts = next;
  for (const listener of listeners) listener();
}

export const notificationProvider: NotificationProvider = {
  open({ key, message, description, type }) {
    const toast = { key: key ?? `toast-${nextKey++}`, message, description, type };
    update([...toasts.filter((t) => t.key !== toast.key), toast]);
    setTimeout(() => notificationProvider.close(toast.key), DISMISS_AFTER_MS);
  },
  close(key) {
    update(toasts.filter((t) => t.key !== key));
  },
};

export function Toasts() {
  const current = useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => toasts,
  );
  return (
    <div aria-live="polite" className="fixed right-4 bottom-4 z-50 flex w-80 flex-col gap-2">
      {current.map((toast) => (
        <div
          key={toast.key}
          className={`flex items-start gap-2 rounded-md border bg-white p-3 text-sm shadow-md ${
            toast.type === "error" ? "border-red-300" : "border-slate-200"
          }`}
        >
          <div className="flex-1">
            <p className="font-medium">{toast.message}</p>
            {toast.description && <p className="text-slate-600">{toast.description}</p>}
          </div>
          <button
            type="button"
            aria-label="Dismiss"
            className="text-slate-500 hover:text-slate-800"
            onClick={() => notificationProvider.close(toast.key)}
          >
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
