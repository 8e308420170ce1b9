/**
 * Calling a webhook as an outside client would: its public URL, the authentication
 * headers of its mode (the shared secret, or an HMAC-SHA256 signature of the timestamp
 * and the raw body), the same request as a curl command, and how to show the answer.
 */

import { hmac } from "@noble/hashes/hmac.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex } from "@noble/hashes/utils.js";

export type HookMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
export type HookAuthMode = "none" | "secret" | "hmac";

export const SECRET_HEADER = "X-Fragent-Secret";
export const TIMESTAMP_HEADER = "X-Fragent-Timestamp";
export const SIGNATURE_HEADER = "X-Fragent-Signature";

/** The public URL of a webhook: the page's origin and the webhook's path ("/hooks/<token>"). */
export function hookUrl(origin: string, path: string): string {
  return `${origin.replace(/\/+$/, "")}/${path.replace(/^\/+/, "")}`;
}

/** True when a request with "method" may carry a body (fetch refuses one on GET). */
export function methodTakesBody(method: HookMethod): boolean {
  return method !== "GET";
}

/*
 * HMAC-SHA256 with @noble/hashes: crypto.subtle exists only in secure contexts (HTTPS,
 * localhost), and a stack reached over plain HTTP on another host must sign too.
 */
function hmacHex(secret: string, message: string): string {
  const enc = new TextEncoder();
  return bytesToHex(hmac(sha256, enc.encode(secret), enc.encode(message)));
}

/**
 * The X-Fragent-Signature value for "body" sent at Unix time "timestamp" (seconds):
 * "sha256=" and the hex HMAC-SHA256, under "secret", of timestamp + "." + body.
 */
export function signHook(secret: string, timestamp: number, body: string): Promise<string> {
  return Promise.resolve(`sha256=${hmacHex(secret, `${timestamp}.${body}`)}`);
}

export interface HookCall {
  method: HookMethod;
  /** The raw body ("" for none; GET never sends one). */
  body: string;
  authMode: HookAuthMode;
  /** The shared secret (modes secret and hmac). */
  secret: string;
}

/**
 * The headers of a call: Content-Type for a body, then the mode's credentials. "now" is
 * the Unix time in seconds that an hmac signature covers.
 */
export async function hookHeaders(call: HookCall, now: number): Promise<Record<string, string>> {
  const body = methodTakesBody(call.method) ? call.body : "";
  const headers: Record<string, string> = {};
  if (body !== "") headers["Content-Type"] = "application/json";
  if (call.authMode === "secret") headers[SECRET_HEADER] = call.secret;
  if (call.authMode === "hmac") {
    const ts = Math.floor(now);
    headers[TIMESTAMP_HEADER] = String(ts);
    headers[SIGNATURE_HEADER] = await signHook(call.secret, ts, body);
  }
  return headers;
}

/** "s" as one word for a POSIX shell: single quotes, with each ' written '\''. */
export function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/**
 * The same call as a shell command with curl. An hmac call signs at the time it runs
 * (date and openssl), so the command can be used again; the secret is the given one or,
 * when empty, a placeholder to fill in.
 */
export function curlCommand(url: string, call: HookCall): string {
  const body = methodTakesBody(call.method) ? call.body : "";
  const secret = call.secret === "" ? "<your secret>" : call.secret;
  const lines: string[] = [];
  const args: string[] = [`curl -i -X ${call.method} ${shellQuote(url)}`];
  if (body !== "") args.push(`-H 'Content-Type: application/json'`);
  if (call.authMode === "secret") {
    lines.push(`SECRET=${shellQuote(secret)}`);
    args.push(`-H "${SECRET_HEADER}: $SECRET"`);
  }
  if (call.authMode === "hmac") {
    lines.push(`SECRET=${shellQuote(secret)}`);
    lines.push(`BODY=${shellQuote(body)}`);
    lines.push(`TS=$(date +%s)`);
    lines.push(
      `SIG=$(printf '%s.%s' "$TS" "$BODY" | openssl dgst -sha256 -hmac "$SECRET" | sed 's/^.*= //')`,
    );
    args.push(`-H "${TIMESTAMP_HEADER}: $TS"`, `-H "${SIGNATURE_HEADER}: sha256=$SIG"`);
    if (body !== "") args.push(`--data-raw "$BODY"`);
  } else if (body !== "") {
    args.push(`--data-raw ${shellQuote(body)}`);
  }
  lines.push(args.join(" \\\n  "));
  return lines.join("\n");
}

/* Answer headers every response has, or that only transport the body: not worth showing. */
const DULL_HEADERS = new Set([
  "cache-control",
  "connection",
  "content-length",
  "content-security-policy",
  "date",
  "keep-alive",
  "referrer-policy",
  "server",
  "transfer-encoding",
  "vary",
  "x-content-type-options",
  "x-frame-options",
]);

/** The answer's headers worth showing (what the webhook or the workflow set), by name. */
export function interestingHeaders(entries: Iterable<[string, string]>): Array<[string, string]> {
  return [...entries]
    .map(([k, v]): [string, string] => [k.toLowerCase(), v])
    .filter(([k]) => !DULL_HEADERS.has(k))
    .sort(([a], [b]) => a.localeCompare(b));
}

/** An answer's body for display: indented when it is JSON, else as it came. */
export function prettyBody(text: string, contentType: string): string {
  const looksJson = /json/i.test(contentType) || /^\s*[[{]/.test(text);
  if (!looksJson || text.trim() === "") return text;
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

/** The execution a 202 answer names ({"execution_id": …}), or null. */
export function executionIdOf(text: string): string | null {
  try {
    const v: unknown = JSON.parse(text);
    if (typeof v === "object" && v !== null && "execution_id" in v) {
      const id = (v as { execution_id: unknown }).execution_id;
      return typeof id === "string" && id !== "" ? id : null;
    }
  } catch {
    // not JSON: no execution named
  }
  return null;
}
