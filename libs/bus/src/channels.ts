/** Redis names of one HomeHelper installation; every key and channel starts with its instance name. */
export const busNames = (instance: string) => ({
  eventStream: `${instance}:events`,
  eventChannel: (type: string) => `${instance}:events:${type}`,
  rpcRequest: (pattern: string) => `${instance}:rpc:${pattern}`,
  rpcReply: (pattern: string) => `${instance}:rpc:${pattern}.reply`,
  rpcPrefix: `${instance}:rpc:`,
});
