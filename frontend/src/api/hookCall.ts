/**
 * Calls a webhook's public route (/hooks/{token}) as an outside client would: no
 * session token and no cookies, the authentication headers of its mode, the raw body.
 * Whatever it answers (errors included) is returned to be shown, not thrown.
 */

import { hookHeaders, methodTakesBody, type HookCall } from "@/lib/webhook";

import { networkProblem } from "./problem";

/** What the webhook answered. */
export interface HookAnswer {
  status: number;
  statusText: string;
  headers: Array<[string, string]>;
  body: string;
  /** Milliseconds from sending to the end of the body. */
  ms: number;
}

/** Sends "call" to the webhook at "path" (same origin). Throws only when nothing answered. */
export async function callWebhook(path: string, call: HookCall): Promise<HookAnswer> {
  const headers = await hookHeaders(call, Date.now() / 1000);
  const started = performance.now();
  let res: Response;
  try {
    res = await fetch(path, {
      method: call.method,
      headers,
      body: methodTakesBody(call.method) && call.body !== "" ? call.body : undefined,
      credentials: "omit",
      cache: "no-store",
      redirect: "manual",
    });
  } catch (err) {
    throw networkProblem(err);
  }
  const body = await res.text();
  return {
    status: res.status,
    statusText: res.statusText,
    headers: [...res.headers.entries()],
    body,
    ms: Math.round(performance.now() - started),
  };
}
