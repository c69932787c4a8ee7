// The channels: every way a signed list can reach the client, behind one interface.
export type { Channel, ChannelFetchResult, ChannelSettings, ProxyAgentOption } from './types.ts';
export { parseChannelSpec } from './spec.ts';
export { httpProxyAgents } from './proxy-agent.ts';
export { dnsPointerRecord, dnsTxtRecords, dnsZoneFragment, listId, type TxtRecord } from './dns-txt-format.ts';
