// Puts a text on the clipboard (a secret shown once, a DNS record, a webhook URL) and says so,
// on the button and to screen readers; a new text to copy starts it afresh.
import { useState } from "react";

import { Button } from "./Button";

/** `label` names what is copied for screen readers ("the record name": "Copy the record name");
 * without it the button is just "Copy". */
export function CopyButton({ text, label }: { text: string; label?: string }) {
  const [result, setResult] = useState<{ text: string; copied: boolean } | null>(null);
  const done = result?.text === text ? result : null;
  const copy = () =>
    navigator.clipboard.writeText(text).then(
      () => setResult({ text, copied: true }),
      () => setResult({ text, copied: false }),
    );
  const word = done ? (done.copied ? "Copied" : "Not copied") : "Copy";
  return (
    <>
      <Button variant="secondary" className="shrink-0" aria-label={label ? `${word} ${label}` : undefined} onClick={() => void copy()}>
        {word}
      </Button>
      <span role="status" className="sr-only">
        {done && (done.copied ? "Copied to the clipboard." : "The browser refused the clipboard: select the text and copy it.")}
      </span>
    </>
  );
}
