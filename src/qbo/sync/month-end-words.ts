/** Browser-safe limits of Dismiss, shared by the route contract and dismiss.ts. */
export const DISMISS_REASON_MAX = 500;
