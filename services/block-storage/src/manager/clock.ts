/** Cinder's timestamps: ISO 8601 with microseconds and no zone (`2026-12-03T12:40:00.123000`). */
export function cinderTime(date: Date = new Date()): string {
  return `${date.toISOString().slice(0, 23)}000`;
}
