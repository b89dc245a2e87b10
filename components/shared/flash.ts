/** A one-time message carried across a client-side navigation (e.g. "Transcript deleted"). */
const KEY = "transcribe:flash";

export interface Flash {
  title: string;
  description?: string;
}

export function setFlash(flash: Flash) {
  try {
    sessionStorage.setItem(KEY, JSON.stringify(flash));
  } catch {
    // Storage unavailable: the message is a nicety, the navigation still happens.
  }
}

export function takeFlash(): Flash | null {
  try {
    const raw = sessionStorage.getItem(KEY);
    sessionStorage.removeItem(KEY);
    if (!raw) return null;
    const parsed = JSON.parse(raw) as Partial<Flash>;
    return typeof parsed.title === "string" ? { title: parsed.title, description: parsed.description } : null;
  } catch {
    return null;
  }
}
