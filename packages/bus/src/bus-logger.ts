/**
 * What the bus logs through: the subset of pino's `Logger` it uses, so a service passes its own
 * logger (with request ids bound) and tests pass a silent or collecting one.
 */
export interface BusLogger {
  debug(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/** The default logger: warnings and errors to stderr, nothing else (a bus should not be silent on failures). */
export const stderrBusLogger: BusLogger = {
  debug() {},
  info() {},
  warn(obj, msg) {
    console.warn(`[bus] ${msg}`, obj);
  },
  error(obj, msg) {
    console.error(`[bus] ${msg}`, obj);
  },
};

/** A logger that drops everything. */
export const silentBusLogger: BusLogger = { debug() {}, info() {}, warn() {}, error() {} };
