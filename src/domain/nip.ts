// Polish tax id (NIP): 10 digits, the last a checksum with weights 6,5,7,2,3,4,5,6,7 mod 11
// (a remainder of 10 never occurs in a valid NIP). Accepts the usual spellings:
// "5261040828", "526-104-08-28", "526 104 08 28", "PL5261040828".

const WEIGHTS = [6, 5, 7, 2, 3, 4, 5, 6, 7];

/** Digits only, without separators or the PL prefix; "" when the input has no digits. */
export function normalizeNip(input: string): string {
  return String(input ?? "").replace(/^\s*PL/i, "").replace(/[\s-]/g, "");
}

export function nipChecksum(first9: string): number {
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += Number(first9[i]) * WEIGHTS[i];
  return sum % 11;
}

export type NipProblem = "format" | "checksum";

/** null when valid; otherwise what is wrong. */
export function checkNip(input: string): NipProblem | null {
  const nip = normalizeNip(input);
  if (!/^\d{10}$/.test(nip)) return "format";
  const check = nipChecksum(nip);
  if (check === 10 || check !== Number(nip[9])) return "checksum";
  return null;
}

export function isValidNip(input: string): boolean {
  return checkNip(input) === null;
}

/** Makes a valid NIP from 9 digits by appending the checksum; null if no checksum exists or the input is not 9 digits. */
export function completeNip(first9: string): string | null {
  if (!/^\d{9}$/.test(String(first9 ?? ""))) return null;
  const check = nipChecksum(first9);
  return check === 10 ? null : first9 + String(check);
}
