import { DISMISS_REASON_MAX } from '../../../qbo/sync/month-end-words.js';

/** The reason box and buttons of Dismiss, the same on the Sync Center history and the Drift list. */
export function DismissReasonFields({
  reason,
  busy,
  primary = false,
  onReason,
  onCancel,
}: {
  reason: string;
  busy: boolean;
  primary?: boolean;
  onReason: (reason: string) => void;
  onCancel: () => void;
}) {
  return (
    <>
      <input
        aria-label="Reason for dismissing"
        placeholder="e.g. fixed by hand in QuickBooks"
        value={reason}
        maxLength={DISMISS_REASON_MAX}
        required
        autoFocus
        onChange={(e) => onReason(e.target.value)}
      />
      <button type="submit" className={primary ? 'primary' : undefined} disabled={busy || reason.trim() === ''}>
        Dismiss
      </button>
      <button type="button" onClick={onCancel}>
        Cancel
      </button>
    </>
  );
}
