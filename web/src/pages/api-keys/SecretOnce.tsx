import { useState } from "react";

import type { components } from "../../api/schema";
import { Button } from "../../components/Button";

type CreatedApiKey = components["schemas"]["CreatedApiKey"];

/**
 * The new key's secret, shown once: the server keeps only a hash of it, and this component
 * keeps it only until "Done" (or leaving the page).
 */
export function SecretOnce({ apiKey, onDone }: { apiKey: CreatedApiKey; onDone: () => void }) {
  const [copied, setCopied] = useState(false);

  const copy = async () => {
    await navigator.clipboard.writeText(apiKey.secret);
    setCopied(true);
  };

  return (
    <section
      aria-labelledby="secret-title"
      className="flex flex-col gap-3 rounded-lg border border-amber-300 bg-amber-50 p-4"
    >
      <h2 id="secret-title" className="font-semibold">
        Key “{apiKey.name}” created
      </h2>
      <p className="text-sm">Copy the key now: it will not be shown again.</p>
      <div className="flex items-center gap-2">
        <code data-testid="api-key-secret" className="flex-1 rounded border border-amber-200 bg-white px-2 py-1 text-sm break-all">
          {apiKey.secret}
        </code>
        <Button variant="secondary" onClick={copy}>
          {copied ? "Copied" : "Copy"}
        </Button>
      </div>
      <span role="status" className="sr-only">
        {copied ? "The key is on the clipboard." : ""}
      </span>
      <div>
        <Button onClick={onDone}>Done</Button>
      </div>
    </section>
  );
}
