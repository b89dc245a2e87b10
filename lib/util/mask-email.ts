/** `jane.doe@example.com` → `j***@example.com`: enough to recognise, never the whole address. */
export function maskEmail(address: string): string {
  const at = address.lastIndexOf("@");
  if (at <= 0) return "***";
  return `${address[0]}***${address.slice(at)}`;
}
