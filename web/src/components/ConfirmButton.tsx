// A destructive action that asks once more in place, instead of a modal: the first click
// turns the button into "Confirm"/"Cancel".
import { useState } from "react";

import { Button } from "./Button";

interface ConfirmButtonProps {
  label: string;
  /** Names what is acted on, for screen readers ("Remove Grace Hopper"). */
  subject: string;
  onConfirm: () => void;
  disabled?: boolean;
}

export function ConfirmButton({ label, subject, onConfirm, disabled }: ConfirmButtonProps) {
  const [asking, setAsking] = useState(false);
  if (!asking) {
    return (
      <Button variant="secondary" aria-label={`${label} ${subject}`} disabled={disabled} onClick={() => setAsking(true)}>
        {label}
      </Button>
    );
  }
  return (
    <span className="inline-flex gap-1">
      <Button
        variant="danger"
        // The first button is gone: keep the keyboard focus on the question.
        autoFocus
        aria-label={`Confirm: ${label.toLowerCase()} ${subject}`}
        onClick={() => {
          setAsking(false);
          onConfirm();
        }}
      >
        Confirm
      </Button>
      <Button variant="secondary" onClick={() => setAsking(false)}>
        Cancel
      </Button>
    </span>
  );
}
