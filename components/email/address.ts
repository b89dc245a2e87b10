/** Where the last address typed into the e-mail dialog is remembered (this browser only). */
const LAST_ADDRESS_KEY = "transcribe:last-email-to";

/**
 * Why `value` is not a usable e-mail address, in words a person can act on, or null when it
 * looks fine. Deliberately close to what the server accepts; the server has the last word.
 */
export function addressProblem(value: string): string | null {
  const address = value.trim();
  if (!address) return "Enter the address to send the transcript to.";
  if (address.length > 254) return "This address is too long.";
  if (/\s/.test(address)) return "An e-mail address cannot contain spaces.";
  const at = address.lastIndexOf("@");
  if (at < 0) return "Add an @ and a domain, as in name@example.com.";
  const local = address.slice(0, at);
  const domain = address.slice(at + 1);
  if (!local) return "Add the part before the @, as in name@example.com.";
  if (local.includes("@")) return "An address has only one @.";
  if (!/^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+$/.test(local) || local.startsWith(".") || local.includes("..")) {
    return "The part before the @ contains characters an address cannot have.";
  }
  if (!domain) return "Add a domain after the @, as in name@example.com.";
  if (!/^([A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?\.)+[A-Za-z]{2,}$/.test(domain)) {
    return `“${domain}” is not a complete domain. It should look like example.com.`;
  }
  return null;
}

/** The server's validation message for `to`, phrased for the field ("This address is not …"). */
export function serverAddressProblem(message: string): string {
  const match = /^to:\s*(.+)$/i.exec(message.trim());
  if (!match) return message;
  const reason = match[1]!.replace(/[.\s]+$/, "");
  return `This address ${reason}.`;
}

export function rememberedAddress(): string {
  try {
    return localStorage.getItem(LAST_ADDRESS_KEY) ?? "";
  } catch {
    return "";
  }
}

export function rememberAddress(address: string) {
  try {
    localStorage.setItem(LAST_ADDRESS_KEY, address);
  } catch {
    // Storage unavailable: the address is only a convenience.
  }
}
