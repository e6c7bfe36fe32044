import { randomUUID } from 'node:crypto';

export const newId = (): string => randomUUID();

/** Timestamps are ISO-8601 UTC text on both dialects, so they sort and compare as strings. */
export const nowIso = (): string => new Date().toISOString();
