// Host names as the servers (the dashboard and the MCP server) read them: whether a name or
// address reaches only this machine, and IPv6 addresses written the way Host headers carry them.

/** An address of this machine only: localhost (and *.localhost), 127.0.0.0/8 or ::1. */
export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[(.*)\]$/, '$1');
  return h === 'localhost' || h.endsWith('.localhost') || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h);
}

/** An IPv6 address in brackets, as it appears in a Host header; other names unchanged. */
export function withBrackets(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}
