export type GatewayRequest = RequestInit & { token?: string };

/** `fetch` against a gateway: JSON content type, and `Authorization: Bearer <token>` when a token is given. */
export function gatewayFetch(gatewayUrl: string): (path: string, init?: GatewayRequest) => Promise<Response> {
  return (path, init = {}) => {
    const { token, headers, ...rest } = init;
    return fetch(`${gatewayUrl}${path}`, {
      ...rest,
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
    });
  };
}
