/** Redis names of one HomeHelper installation; every key and channel starts with its instance name. */
export const busNames = (instance: string) => ({
  eventStream: `${instance}:events`,
  eventChannel: (type: string) => `${instance}:events:${type}`,
  /** The history id of the latest event of a type whose history keeps only the latest (see EventHistory). */
  latestEventId: (type: string) => `${instance}:latest-event:${type}`,
  rpcRequest: (pattern: string) => `${instance}:rpc:${pattern}`,
  rpcReply: (pattern: string) => `${instance}:rpc:${pattern}.reply`,
  rpcPrefix: `${instance}:rpc:`,
  /** Live output lines of one managed app (plain pub/sub: logs are not events and are not kept in history). */
  appLogChannel: (appId: string) => `${instance}:app-logs:${appId}`,
});
