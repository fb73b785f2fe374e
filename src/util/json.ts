// Small JSON helpers.

/** A JSON list stored as text (dataset columns such as sensors or aliases); [] when absent or malformed. */
export function parseJsonList(text: string | null | undefined): string[] {
  if (!text) return [];
  try {
    const v = JSON.parse(text);
    return Array.isArray(v) ? v.map(String) : [];
  } catch {
    return [];
  }
}
