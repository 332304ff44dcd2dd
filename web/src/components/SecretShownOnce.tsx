import { Button } from "./Button";
import { CopyButton } from "./CopyButton";

/**
 * A secret the server will not show again (a new API key, a webhook signing secret), with a
 * copy button; the page holds it only until "Done" (or leaving the page).
 */
export function SecretShownOnce({ title, secret, note, testId, onDone }: {
  title: string;
  secret: string;
  note: string;
  testId: string;
  onDone: () => void;
}) {
  return (
    <section aria-label={title} className="flex flex-col gap-3 rounded-lg border border-amber-300 bg-amber-50 p-4">
      <h2 className="font-semibold">{title}</h2>
      <p className="text-sm">{note}</p>
      <div className="flex items-center gap-2">
        <code data-testid={testId} className="flex-1 rounded border border-amber-200 bg-white px-2 py-1 text-sm break-all">
          {secret}
        </code>
        <CopyButton text={secret} />
      </div>
      <div>
        <Button onClick={onDone}>Done</Button>
      </div>
    </section>
  );
}
