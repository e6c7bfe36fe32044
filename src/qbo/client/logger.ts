/** The subset of pino the QBO code logs through; pino's Logger satisfies it. */
export interface QboLogger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
}

export const silentLogger: QboLogger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
};
