/** Browser-safe limits of Dismiss, shared by the route contract and dismiss.ts. */
export const DISMISS_REASON_MAX = 500;

/**
 * The push failure code of a creation stopped next to a close-named QBO customer/vendor (not a QBO code: QBO was
 * never asked); the document page offers Link or Create anyway on it.
 */
export const POSSIBLE_DUPLICATE_CODE = 'possible_duplicate';
