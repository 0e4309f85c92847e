/** Query parameters whose values are credentials (`?token=` is how EventSource and iframes authenticate). */
const SECRET_PARAMETER = /^(token|access_token|refresh_token|id_token|api_key|apikey|key|password|secret)$/i;

/** The URL as it may be logged: the value of every credential-like query parameter replaced. */
export function redactUrl(url: string): string {
  const query = url.indexOf('?');
  if (query < 0) return url;
  const parameters = url
    .slice(query + 1)
    .split('&')
    .map((parameter) => {
      const equals = parameter.indexOf('=');
      const name = equals < 0 ? parameter : parameter.slice(0, equals);
      return SECRET_PARAMETER.test(decoded(name)) ? `${name}=[REDACTED]` : parameter;
    });
  return `${url.slice(0, query)}?${parameters.join('&')}`;
}

function decoded(name: string): string {
  try {
    return decodeURIComponent(name.replace(/\+/g, ' ')).trim();
  } catch {
    return name;
  }
}
