/**
 * Signs in like the console does (a same-origin JSON POST to /api/session) and returns the
 * `Cookie` header value that carries the session.
 */
export async function signInCookie(base: string, token: string): Promise<string> {
  const response = await fetch(`${base}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: base },
    body: JSON.stringify({ token }),
  });
  if (response.status !== 200) throw new Error(`sign-in answered ${response.status}: ${await response.text()}`);
  return response.headers.get('set-cookie')!.split(';')[0]!;
}
